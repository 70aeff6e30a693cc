/**
 * Webhook intake: signed events per second the daemon verifies, dedupes and folds into status
 * files, and the p99 latency of one request. Run: node bench/daemon-webhooks.ts [events] [parallel]
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, roomYaml } from '../test/harness/cli.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import {
  metricValue,
  signedWebhook,
  startDaemonChild,
  waitFor,
} from '../test/integration/daemon/daemon-process.ts';
import { SMOKE, sizeArg } from './smoke.ts';

const total = sizeArg(0, 5000, 100);
const parallel = sizeArg(1, 32, 8);
const rooms = SMOKE ? 10 : 100;

const lk = await startLiveKit({ redis: false });
try {
  const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml('bench-declared') });
  const d = await startDaemonChild(ws, lk, ['--interval', '1h']);
  await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

  // Signed up front: the benchmark measures the daemon, not the signer.
  const requests: { body: string; auth: string }[] = [];
  for (let i = 0; i < total; i++) {
    const room = `bench-${i % rooms}`;
    const body = JSON.stringify({
      event: 'participant_joined',
      id: `EV_${randomBytes(8).toString('hex')}`,
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: room, sid: 'RM_bench' },
      participant: {
        identity: `p${i}`,
        sid: `PA_${i}`,
        name: `P ${i}`,
        joinedAt: String(Math.floor(Date.now() / 1000)),
      },
    });
    requests.push({ body, auth: await signedWebhook(body, lk) });
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const r = requests[next++];
        if (!r) return;
        const t = performance.now();
        const res = await fetch(d.webhookUrl, {
          method: 'POST',
          body: r.body,
          headers: { 'content-type': 'application/webhook+json', authorization: r.auth },
        });
        await res.text();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  await waitFor(
    'status files',
    async () => (await readdir(join(ws, 'status'))).length >= rooms + 1,
  );
  const accepted = await metricValue(
    d.base,
    'livekit_gitops_webhook_events_total{event="participant_joined",outcome="accepted"}',
  );
  console.log(
    JSON.stringify({
      events: total,
      parallel,
      accepted,
      eventsPerSecond: Math.round(total / seconds),
      p50Ms: +pct(0.5).toFixed(2),
      p99Ms: +pct(0.99).toFixed(2),
      statusFiles: (await readdir(join(ws, 'status'))).filter((f) => f.endsWith('.yaml')).length,
    }),
  );
  await d.stop();
} finally {
  await lk.stop();
}
