/**
 * Time from saving a spec file to the room existing on the server, while the daemon runs.
 * Run: node bench/daemon-spec-latency.ts [samples]
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, roomYaml } from '../test/harness/cli.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import {
  serverPort,
  startDaemonChild,
  waitFor,
} from '../test/integration/daemon/daemon-process.ts';
import { sizeArg } from './smoke.ts';

const samples = sizeArg(0, 20, 2);
const lk = await startLiveKit({ redis: false });
try {
  const port = serverPort(lk);
  const ws = await makeWorkspace({ 'rooms/seed.yaml': roomYaml('seed') });
  const d = await startDaemonChild(ws, lk, ['--interval', '1h']);
  await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const name = `latency-${i}`;
    const path = join(ws, `rooms/${name}.yaml`);
    const t = performance.now();
    await writeFile(path + '.tmp', roomYaml(name));
    await rename(path + '.tmp', path);
    for (let tries = 0; tries < 1000; tries++) {
      if ((await port.listRooms([name])).length > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number): number =>
    times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  console.log(
    JSON.stringify({
      samples,
      debounceMs: 200,
      p50Ms: Math.round(pct(0.5)),
      p95Ms: Math.round(pct(0.95)),
    }),
  );
  await d.stop();
} finally {
  await lk.stop();
}
