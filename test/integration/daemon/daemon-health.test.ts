import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';
import { signedWebhook, startDaemonChild, waitFor, type DaemonChild } from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
let redis: RedisInstance | undefined;

afterEach(async () => {
  redis?.resume();
  await stopDaemons(running);
});
afterAll(async () => {
  await redis?.stop();
  await deleteTaggedRooms();
});

async function status(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  await res.text();
  return res.status;
}

describe('daemon: health and the private probe listener', () => {
  it('--metrics-listen moves /metrics, /healthz and /readyz off the webhook listener', async () => {
    const room = `daemon-health-${tag}`;
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(room) });
    const d = await startDaemonChild(ws, env, [
      '--interval',
      '1h',
      '--metrics-listen',
      '127.0.0.1:0',
    ]);
    running.push(d);
    expect(d.probeBase).not.toBe(d.base);
    await waitFor(
      'ready on the probe listener',
      async () => (await status(`${d.probeBase}/readyz`)) === 200,
    );
    expect(await status(`${d.probeBase}/healthz`)).toBe(200);
    expect(await (await fetch(`${d.probeBase}/metrics`)).text()).toContain(
      'livekit_gitops_reconcile_total',
    );
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect(await status(`${d.base}${path}`)).toBe(404);
    }
    // The webhook still works on the public listener, and only there.
    const body = JSON.stringify({
      event: 'room_started',
      id: `EV_health_${tag}`,
      createdAt: String(Math.floor(Date.now() / 1000)),
      room: { name: room, sid: 'RM_health' },
    });
    const headers = {
      'content-type': 'application/webhook+json',
      authorization: await signedWebhook(body, env),
    };
    expect(await status(d.webhookUrl, { method: 'POST', body, headers })).toBe(200);
    expect(await status(`${d.probeBase}/webhook`, { method: 'POST', body, headers })).toBe(404);
  });

  it('/healthz fails while the state Redis hangs (SIGSTOP) and recovers when it answers again', async () => {
    redis = await startRedis();
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(`daemon-hung-${tag}`) });
    const d = await startDaemonChild(ws, env, [
      '--interval',
      '1h',
      '--state-backend',
      'redis',
      '--redis-address',
      redis.address,
      '--lock-ttl',
      '8s',
      '--lease-stall',
      '3s',
    ]);
    running.push(d);
    await waitFor('ready', async () => (await status(`${d.base}/readyz`)) === 200);
    expect(await status(`${d.base}/healthz`)).toBe(200);

    redis.pause();
    await waitFor('/healthz fails on the hung lease', async () => {
      const res = await fetch(`${d.base}/healthz`);
      const json = (await res.json()) as { reasons: string[] };
      return res.status === 503 && json.reasons.some((r) => r.startsWith('lease stalled'));
    });
    redis.resume();
    await waitFor('/healthz recovers', async () => (await status(`${d.base}/healthz`)) === 200);
    expect(d.child.exitCode).toBeNull();
  });
});
