/**
 * Memory of a daemon managing 5,000 rooms (100 files of 50), after its first full reconcile
 * created them all. Run: node bench/daemon-memory.ts [rooms]
 */
import { makeWorkspace, roomYaml } from '../test/harness/cli.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import {
  metricValue,
  serverPort,
  startDaemonChild,
  waitFor,
} from '../test/integration/daemon/daemon-process.ts';
import { sizeArg } from './smoke.ts';

const count = sizeArg(0, 5000, 50);
const lk = await startLiveKit({ redis: false });
try {
  const files: Record<string, string> = {};
  for (let f = 0; f < count / 50; f++) {
    files[`rooms/f${f}.yaml`] = Array.from({ length: 50 }, (_, i) =>
      roomYaml(`mem-${f * 50 + i}`, { emptyTimeout: 3600 }),
    ).join('\n---\n');
  }
  const ws = await makeWorkspace(files);
  const t = performance.now();
  const d = await startDaemonChild(ws, lk, [
    '--interval',
    '1h',
    '--rate-limit',
    '2000',
    '--rate-burst',
    '2000',
    '--concurrency',
    '64',
  ]);
  await waitFor(
    'first full reconcile',
    async () => (await fetch(`${d.base}/readyz`)).status === 200,
    300_000,
  );
  const convergeS = (performance.now() - t) / 1000;
  const live = (await serverPort(lk).listRooms()).length;
  const rss = await metricValue(d.base, 'process_resident_memory_bytes');
  const heap = await metricValue(d.base, 'nodejs_heap_size_used_bytes');
  console.log(
    JSON.stringify({
      rooms: count,
      live,
      firstReconcileS: +convergeS.toFixed(1),
      rssMiB: Math.round((rss ?? 0) / 2 ** 20),
      heapUsedMiB: Math.round((heap ?? 0) / 2 ** 20),
    }),
  );
  await d.stop(60_000);
} finally {
  await lk.stop();
}
