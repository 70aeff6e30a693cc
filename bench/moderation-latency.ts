// Time from a banned identity joining to its removal, over 50 joins, through the REAL daemon:
// livekit-server posts participant_joined to `livekit-gitops daemon` (a child process), which
// verifies it, enqueues the room and reconciles it (observe -> planFrom -> applyPlan), removing
// the participant. The daemon resyncs hourly here, so only its webhook path acts.
// Run: node bench/moderation-latency.ts [joins]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RoomEvent } from '@livekit/rtc-node';
import { makeWorkspace, spawnCli } from '../test/harness/cli.ts';
import { freePort } from '../test/harness/free-port.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import { disposeRtc, joinParticipant } from '../test/harness/participants.ts';
import { readRoomStatus, waitFor } from '../test/integration/daemon/daemon-process.ts';
import { sizeArg } from './smoke.ts';

const JOINS = sizeArg(0, 50, 2);
const ROOM = 'bench-stage';

const ws = await makeWorkspace({});
await mkdir(join(ws, 'rooms'), { recursive: true });
await writeFile(
  join(ws, 'rooms', 'moderation.yaml'),
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

// The daemon's port is chosen first so LiveKit can be pointed straight at it (no relay hop).
const daemonPort = await freePort();
const base = `http://127.0.0.1:${daemonPort}`;
const lk = await startLiveKit({ webhookUrls: [`${base}/webhook`] });
const daemon = spawnCli(
  ['daemon', '--listen', `127.0.0.1:${daemonPort}`, '--interval', '1h', '--log-format', 'json'],
  {
    cwd: ws,
    env: { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret },
  },
);
let logs = '';
daemon.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
daemon.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
const exited = new Promise<number | string | null>((r) =>
  daemon.once('exit', (code, signal) => r(code ?? signal)),
);

const fromConnect: number[] = [];
const fromJoined: number[] = [];
let recorded = 0;
let exitCode: number | string | null = null;
try {
  await waitFor('daemon ready', async () => (await fetch(`${base}/readyz`)).status === 200, 30_000);
  await joinParticipant(lk, { room: ROOM, identity: 'host' });
  for (let i = 0; i < JOINS; i++) {
    const t0 = performance.now();
    const p = await joinParticipant(lk, { room: ROOM, identity: `banned-${i}` });
    const joinedAt = performance.now();
    // Attached in the same tick connect resolved in: no event can slip in between.
    const removedAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`banned-${i} not removed in 10 s`)), 10_000);
      p.room.once(RoomEvent.Disconnected, () => {
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    fromConnect.push(removedAt - t0);
    fromJoined.push(removedAt - joinedAt);
    await p.disconnect().catch(() => undefined);
  }
  // The status file keeps the last 20 events: every one of them should be a recorded removal.
  await waitFor('removals in the status file', async () => {
    const s = await readRoomStatus(ws, ROOM);
    recorded = (s?.events ?? []).filter(
      (e) => e.event === 'moderation' && e.effect === 'remove' && e.result === 'ok',
    ).length;
    return recorded > 0;
  });
} finally {
  daemon.kill('SIGTERM');
  exitCode = await exited;
  if (exitCode !== 0) console.error(`daemon exited ${exitCode}:\n${logs.slice(-4000)}`);
  await disposeRtc();
  await lk.stop();
}

const applied = logs
  .split('\n')
  .filter((l) => l.includes('"applied"') && l.includes('moderation.ban.')).length;

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): string => (s[Math.floor((s.length - 1) * p)] ?? 0).toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
}
console.log(`moderation removal through the daemon's webhook path, ${fromJoined.length} joins:`);
console.log(`  from connected to removed: ${summary(fromJoined)}`);
console.log(`  from connect start to removed: ${summary(fromConnect)}`);
console.log(
  `  removals the daemon logged as applied: ${applied} (a repeat finds the participant gone: done)`,
);
console.log(`  removal events among the status file's last 20 events: ${recorded}`);
console.log(`  daemon exit code after SIGTERM: ${exitCode}`);
