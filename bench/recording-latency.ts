/**
 * Join-to-recording latency through the daemon: for each of N rooms, one participant joins, then
 * the second one (who satisfies `when: { minParticipants: 2 }`); measured from that join resolving
 * to the stand-in worker reporting the egress ACTIVE (its default 200 ms active delay included).
 * Real livekit-server + own Redis, webhooks through a relay to the daemon child process.
 *
 *   node bench/recording-latency.ts [rooms=50]
 */
import { buildEgressWorker, startEgressWorker } from '../test/harness/egress-worker.ts';
import { disconnectAll, disposeRtc, joinParticipant } from '../test/harness/participants.ts';
import { startRecordingDaemon, startRelayedBed } from '../test/integration/recording/daemon-bed.ts';
import { policyYaml, workspace } from '../test/integration/recording/setup.ts';
import { sizeArg } from './smoke.ts';

const N = sizeArg(0, 50, 2);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

await buildEgressWorker();
const bed = await startRelayedBed();
const worker = await startEgressWorker({ redisAddress: bed.lk.redisAddress, log: 'info' });
const space = await workspace(bed, { 'rooms/rec.yaml': policyYaml('bench', ['lat-*']) });
const daemon = await startRecordingDaemon(bed, space.dir, space.env);
const server = { wsUrl: bed.lk.wsUrl, apiKey: bed.lk.apiKey, apiSecret: bed.lk.apiSecret };
const samples: number[] = [];
try {
  for (let i = 0; i < N; i++) {
    const room = `lat-${i}-${process.pid}`;
    await joinParticipant(server, { room, identity: 'a' });
    const seen = worker.events().length;
    await joinParticipant(server, { room, identity: 'b' });
    const t0 = Date.now();
    const active = await worker.waitForEvent(
      (e) => e.event === 'status' && e.status === 'EGRESS_ACTIVE' && e.room === room,
      30_000,
    );
    if (worker.events().indexOf(active) < seen) throw new Error('ACTIVE before the second join');
    samples.push(active.ts - t0);
    await disconnectAll();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      rooms: N,
      workerActiveDelayMs: 200,
      p50Ms: pct(sorted, 50),
      p95Ms: pct(sorted, 95),
      minMs: sorted[0],
      maxMs: sorted.at(-1),
      starts: worker.egressIds().length,
    }),
  );
} finally {
  await disconnectAll();
  await daemon.stop();
  await worker.kill();
  await disposeRtc();
  await space.cleanup();
  await bed.stop();
}
