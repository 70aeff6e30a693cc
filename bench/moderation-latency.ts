// Time from a banned identity joining to its removal, over 50 joins, on a real livekit-server.
// Path: LiveKit's participant_joined webhook -> verifyWebhook -> observe(scope = the room, project)
// -> planFrom -> applyPlan, i.e. what the daemon's per-room reconcile runs. The daemon itself does
// not pass the project's specs to observe/planFrom yet, so this drives the same functions from a
// webhook receiver of its own (see docs/moderation.md).
// Run: node bench/moderation-latency.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomEvent } from '@livekit/rtc-node';
import { createLiveKitAdapter } from '../src/adapters/livekit/index.ts';
import { verifyWebhook } from '../src/adapters/livekit/webhook.ts';
import { openStateBackend } from '../src/adapters/state/open-backend.ts';
import { applyPlan } from '../src/app/apply-run.ts';
import { observe, planFrom } from '../src/app/plan-run.ts';
import { loadProject } from '../src/app/project.ts';
import { disposeRtc, joinParticipant } from '../test/harness/participants.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';

const JOINS = 50;
const ROOM = 'bench-stage';

const dir = await mkdtemp(join(tmpdir(), 'lkg-bench-moderation-'));
await mkdir(join(dir, 'rooms'));
await writeFile(
  join(dir, 'rooms', 'moderation.yaml'),
  JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'ModerationRule',
    metadata: { name: 'ban' },
    spec: {
      rooms: { names: [ROOM] },
      rules: [{ participants: { identity: ['banned-*'] }, remove: true }],
    },
  }) + '\n',
);
const project = await loadProject({ cwd: dir, env: {} });

const receiver = createServer();
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
const lk = await startLiveKit({ webhookUrls: [hookUrl] });
const port = createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
const backend = openStateBackend({ backend: 'file', dir: join(dir, '.state') }, dir);
const lock = await backend.acquireLock({ operation: 'daemon' });

// One reconcile at a time per room, as the daemon's keyed queue does.
let chain = Promise.resolve();
async function reconcile(room: string): Promise<void> {
  const scope = new Set([room]);
  const [observed, state] = await Promise.all([observe(port, scope, project), backend.read()]);
  const { plan, state: settled } = planFrom({
    project,
    observed,
    state,
    now: new Date(),
    prune: false,
    toolVersion: 'bench',
    scope,
  });
  if (plan.changes.length === 0) return;
  await applyPlan({ plan, port, lock, settled, concurrency: 4, now: () => new Date() });
}
receiver.on('request', (req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    res.writeHead(200).end();
    void verifyWebhook(lk, body, req.headers.authorization).then((ev) => {
      if (ev.event !== 'participant_joined' && ev.event !== 'track_published') return;
      const room = ev.room?.name;
      if (room !== undefined) chain = chain.then(() => reconcile(room)).catch(() => undefined);
    });
  });
});

const fromConnect: number[] = [];
const fromJoined: number[] = [];
try {
  await joinParticipant(lk, { room: ROOM, identity: 'host' });
  for (let i = 0; i < JOINS; i++) {
    const t0 = performance.now();
    let removedAt = 0;
    const p = await joinParticipant(lk, { room: ROOM, identity: `banned-${i}` });
    const joinedAt = performance.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`banned-${i} not removed in 10 s`)), 10_000);
      p.room.once(RoomEvent.Disconnected, () => {
        removedAt = performance.now();
        clearTimeout(timer);
        resolve();
      });
    });
    fromConnect.push(removedAt - t0);
    fromJoined.push(removedAt - joinedAt);
    await p.disconnect().catch(() => undefined);
  }
} finally {
  await lock.release();
  await backend.close();
  await disposeRtc();
  await lk.stop();
  receiver.close();
  await rm(dir, { recursive: true, force: true });
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): string => (s[Math.floor((s.length - 1) * p)] ?? 0).toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
}
console.log(`moderation removal over ${fromJoined.length} joins (webhook -> plan -> apply):`);
console.log(`  from connected to removed: ${summary(fromJoined)}`);
console.log(`  from connect start to removed: ${summary(fromConnect)}`);
