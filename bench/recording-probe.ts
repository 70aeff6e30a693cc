/**
 * Measures the lost-egress probe (UpdateStream with empty lists) against a real livekit-server with
 * its own Redis and the stand-in worker: answer time for a live worker, and what a dead one yields.
 * Run: node bench/recording-probe.ts
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import { createLiveKitAdapter } from '../src/adapters/livekit/adapter.ts';
import type { LiveKitError } from '../src/core/errors.ts';
import { buildEgressWorker, startEgressWorker } from '../test/harness/egress-worker.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import { SMOKE } from './smoke.ts';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

await buildEgressWorker();
const lk = await startLiveKit({});
const port = createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
try {
  const worker = await startEgressWorker({ redisAddress: lk.redisAddress, activeDelayMs: 0 });
  const ids: string[] = [];
  for (let i = 0; i < (SMOKE ? 2 : 20); i++) {
    await rooms.createRoom({ name: `probe-${i}`, emptyTimeout: 600 });
    const e = await port.startEgress({
      roomName: `probe-${i}`,
      source: { type: 'roomComposite', layout: 'grid' },
      outputs: [{ type: 'file', filepath: 'x.mp4' }],
    });
    ids.push(e.egressId);
  }
  await new Promise((r) => setTimeout(r, 300));
  const alive: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await port.updateStream(id, [], [], { timeoutMs: 5_000 });
    alive.push(performance.now() - t);
  }
  const t0 = performance.now();
  await Promise.all(ids.map((id) => port.updateStream(id, [], [], { timeoutMs: 5_000 })));
  const parallel = performance.now() - t0;
  await worker.kill();
  const dead: string[] = [];
  const deadMs: number[] = [];
  for (const id of ids.slice(0, 3)) {
    const t = performance.now();
    try {
      await port.updateStream(id, [], [], { timeoutMs: 10_000 });
      dead.push('answered');
    } catch (err) {
      const e = err as LiveKitError;
      dead.push(`${e.kind} status=${e.status} code=${e.serverCode} ${e.message}`);
    }
    deadMs.push(performance.now() - t);
  }
  console.log(
    JSON.stringify(
      {
        aliveSequentialMs: { p50: pct(alive, 50), p95: pct(alive, 95), n: alive.length },
        alive20ParallelMs: parallel,
        dead: dead,
        deadMs,
      },
      null,
      2,
    ),
  );
} finally {
  await lk.stop();
}
