/**
 * Full reconcile time with N rooms that each hold an active egress the daemon owns: the policy
 * (`when: { minParticipants: 0 }`) holds for every room, so the daemon's first full resync starts
 * N egresses on the stand-in worker; later full resyncs (every `--interval`) find nothing to do.
 * Reported: the first resync (N starts) and the steady-state ones (ListRooms, listEgress of every
 * page, settle, plan), from the daemon's own reconcile histogram. Probes are held off
 * (LIVEKIT_GITOPS_RECORDING_PROBE_MIN_AGE_MS) so the figure is the reconcile itself.
 *
 *   node bench/recording-reconcile.ts [rooms=1000]
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import pLimit from 'p-limit';
import { buildEgressWorker, startEgressWorker } from '../test/harness/egress-worker.ts';
import { startRecordingDaemon, startRelayedBed } from '../test/integration/recording/daemon-bed.ts';
import { poll, workspace } from '../test/integration/recording/setup.ts';
import { SMOKE, sizeArg } from './smoke.ts';

const N = sizeArg(0, 1000, 10);

function policy(): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'RecordingPolicy',
    metadata: { name: 'bulk' },
    spec: {
      rooms: { match: ['bulk-*'] },
      when: { minParticipants: 0 },
      roomComposite: { layout: 'grid' },
      outputs: [{ file: { filepath: 'bulk/{room_name}.mp4' } }],
    },
  });
}

async function histogram(metric: (l: string) => Promise<number | undefined>) {
  const base = 'livekit_gitops_reconcile_duration_seconds';
  return {
    count: (await metric(`${base}_count{scope="full"}`)) ?? 0,
    sum: (await metric(`${base}_sum{scope="full"}`)) ?? 0,
  };
}

await buildEgressWorker();
const bed = await startRelayedBed();
const worker = await startEgressWorker({
  redisAddress: bed.lk.redisAddress,
  log: 'quiet',
  activeDelayMs: 0,
});
const rooms = new RoomServiceClient(bed.lk.url, bed.lk.apiKey, bed.lk.apiSecret);
const limit = pLimit(32);
const t = Date.now();
await Promise.all(
  Array.from({ length: N }, (_, i) =>
    limit(() =>
      rooms.createRoom({ name: `bulk-${i}`, emptyTimeout: 3600, departureTimeout: 3600 }),
    ),
  ),
);
console.error(`created ${N} rooms in ${Date.now() - t} ms`);
const space = await workspace(
  bed,
  { 'rooms/rec.yaml': policy() },
  {
    LIVEKIT_GITOPS_RECORDING_PROBE_MIN_AGE_MS: '3600000',
  },
);
const t0 = Date.now();
let daemon: Awaited<ReturnType<typeof startRecordingDaemon>> | undefined;
try {
  const d = await startRecordingDaemon(
    bed,
    space.dir,
    space.env,
    ['--interval', SMOKE ? '2s' : '20s'],
    600_000,
  );
  daemon = d;
  await poll(
    `${N} owned egresses`,
    async () => (await d.metric('livekit_gitops_egress_active')) === N,
    600_000,
  );
  const first = await histogram((l) => d.metric(l));
  const firstMs = Date.now() - t0;
  const listed = (await bed.port.listEgress({ active: true })).length;
  const steady: number[] = [];
  let prev = first;
  for (let i = 0; i < (SMOKE ? 1 : 3); i++) {
    await poll(
      'next full resync',
      async () => (await histogram((l) => d.metric(l))).count > prev.count,
      120_000,
    );
    const h = await histogram((l) => d.metric(l));
    steady.push(((h.sum - prev.sum) / (h.count - prev.count)) * 1000);
    prev = h;
  }
  console.log(
    JSON.stringify({
      rooms: N,
      activeEgressListed: listed,
      firstResyncWithStartsS: first.sum,
      daemonStartToAllOwnedMs: firstMs,
      steadyFullResyncMs: steady.map((x) => Math.round(x)),
      egressActiveGauge: await d.metric('livekit_gitops_egress_active'),
    }),
  );
} finally {
  await daemon?.stop();
  await worker.kill();
  await space.cleanup();
  await bed.stop();
}
