/**
 * The daemon's git source against its local-files baseline, in one run on one livekit-server:
 *  - latency: push -> room on the server through the signed push webhook (p50, p95), against
 *    saving a spec file -> room with the file watcher;
 *  - memory: RSS and heap after the first full reconcile of a repository of 5,000 specs, against
 *    the same specs from a local directory.
 *
 *   node bench/git-source.ts [pushes] [specs]   default 20 pushes, 5,000 specs (100 files of 50)
 *   node bench/git-source.ts --smoke            3 pushes, 50 specs (the test suite runs this)
 *
 * Uses LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET when set, else starts its own server.
 * The last line is `RESULT {json}`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, roomYaml } from '../test/harness/cli.ts';
import { makeGitOrigin } from '../test/harness/git-origin.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import { sizeArg } from './smoke.ts';
import {
  metricValue,
  serverPort,
  startDaemonChild,
  waitFor,
  type DaemonChild,
  type Server,
} from '../test/integration/daemon/daemon-process.ts';

const pushes = sizeArg(0, 20, 3);
const specCount = sizeArg(1, 5000, 50);
const SECRET = randomBytes(16).toString('hex');
const run = randomBytes(3).toString('hex');

const external = process.env['LIVEKIT_URL'];
const owned = external ? undefined : await startLiveKit({ redis: false });
const server: Server = owned ?? {
  url: external ?? '',
  apiKey: process.env['LIVEKIT_API_KEY'] ?? '',
  apiSecret: process.env['LIVEKIT_API_SECRET'] ?? '',
};
const port = serverPort(server);
const created: string[] = [];

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}

async function roomAppears(name: string): Promise<void> {
  for (let tries = 0; tries < 6000; tries++) {
    if ((await port.listRooms([name])).length > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`room ${name} never appeared`);
}

// Info level: the harness reads the listening port from the `listening` log line.
const daemonFlags = ['--interval', '1h'];

function gitConfig(url: string, interval: string): string {
  return `source:\n  git:\n    url: ${JSON.stringify(url)}\n    path: rooms\n    interval: ${interval}\n    webhook: { secret: { fromEnv: GIT_HOOK_SECRET } }\n`;
}

async function signedPush(base: string): Promise<void> {
  const body = JSON.stringify({ ref: 'refs/heads/main' });
  const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${base}/hooks/git`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig },
    body,
  });
  if (res.status !== 202) throw new Error(`push hook answered ${res.status}`);
}

async function ready(d: DaemonChild, timeoutMs = 60_000): Promise<void> {
  await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200, timeoutMs);
}

/** Push -> room through the webhook: the clock starts when `git push` has returned. */
async function gitLatency(): Promise<number[]> {
  const origin = await makeGitOrigin();
  await origin.commit({ 'rooms/seed.yaml': roomYaml(`gitlat-seed-${run}`) }, 'seed');
  created.push(`gitlat-seed-${run}`);
  const ws = await makeWorkspace({ 'livekit-gitops.yaml': gitConfig(origin.bare, '1h') });
  const d = await startDaemonChild(ws, server, daemonFlags, { GIT_HOOK_SECRET: SECRET });
  const times: number[] = [];
  try {
    await ready(d);
    for (let i = 0; i < pushes; i++) {
      const name = `gitlat-${i}-${run}`;
      created.push(name);
      await origin.commit({ [`rooms/${name}.yaml`]: roomYaml(name) }, `add ${name}`);
      const t = performance.now();
      await signedPush(d.base);
      await roomAppears(name);
      times.push(performance.now() - t);
    }
  } finally {
    await d.stop();
    await origin.cleanup();
  }
  return times;
}

/** Baseline: save a spec file -> room, with the daemon's file watcher (debounce 200 ms). */
async function fileLatency(): Promise<number[]> {
  const ws = await makeWorkspace({ 'rooms/seed.yaml': roomYaml(`filelat-seed-${run}`) });
  created.push(`filelat-seed-${run}`);
  const d = await startDaemonChild(ws, server, daemonFlags);
  const times: number[] = [];
  try {
    await ready(d);
    for (let i = 0; i < pushes; i++) {
      const name = `filelat-${i}-${run}`;
      created.push(name);
      const path = join(ws, `rooms/${name}.yaml`);
      const t = performance.now();
      await writeFile(path + '.tmp', roomYaml(name));
      await rename(path + '.tmp', path);
      await roomAppears(name);
      times.push(performance.now() - t);
    }
  } finally {
    await d.stop();
  }
  return times;
}

function specFiles(prefix: string): Record<string, string> {
  const files: Record<string, string> = {};
  const perFile = Math.min(50, specCount);
  for (let f = 0; f < specCount / perFile; f++) {
    files[`rooms/f${f}.yaml`] = Array.from({ length: perFile }, (_, i) => {
      const name = `${prefix}-${f * perFile + i}-${run}`;
      created.push(name);
      return roomYaml(name, { emptyTimeout: 3600 });
    }).join('\n---\n');
  }
  return files;
}

const heavy = ['--rate-limit', '2000', '--rate-burst', '2000', '--concurrency', '64'];

async function memoryOf(d: DaemonChild, startedAt: number) {
  await ready(d, 600_000);
  const firstReconcileS = +((performance.now() - startedAt) / 1000).toFixed(1);
  const rss = (await metricValue(d.base, 'process_resident_memory_bytes')) ?? 0;
  const heap = (await metricValue(d.base, 'nodejs_heap_size_used_bytes')) ?? 0;
  await d.stop(60_000);
  return {
    firstReconcileS,
    rssMiB: Math.round(rss / 2 ** 20),
    heapMiB: Math.round(heap / 2 ** 20),
  };
}

async function gitMemory() {
  const origin = await makeGitOrigin();
  await origin.commit(specFiles('gitmem'), `${specCount} specs`);
  const ws = await makeWorkspace({ 'livekit-gitops.yaml': gitConfig(origin.bare, '1h') });
  const t = performance.now();
  const d = await startDaemonChild(ws, server, [...daemonFlags, ...heavy], {
    GIT_HOOK_SECRET: SECRET,
  });
  try {
    return await memoryOf(d, t);
  } finally {
    await origin.cleanup();
  }
}

async function fileMemory() {
  const ws = await makeWorkspace(specFiles('filemem'));
  const t = performance.now();
  const d = await startDaemonChild(ws, server, [...daemonFlags, ...heavy]);
  return memoryOf(d, t);
}

try {
  const fileTimes = await fileLatency();
  const gitTimes = await gitLatency();
  const fileMem = await fileMemory();
  const gitMem = await gitMemory();
  const latency = {
    pushes,
    gitWebhook: { p50Ms: percentile(gitTimes, 0.5), p95Ms: percentile(gitTimes, 0.95) },
    fileWatcher: { p50Ms: percentile(fileTimes, 0.5), p95Ms: percentile(fileTimes, 0.95) },
  };
  const ratio = (a: number, b: number): number => +(a / Math.max(1, b)).toFixed(2);
  const result = {
    latency,
    latencyRatioP50: ratio(latency.gitWebhook.p50Ms, latency.fileWatcher.p50Ms),
    memory: { specs: specCount, git: gitMem, files: fileMem },
    rssRatio: ratio(gitMem.rssMiB, fileMem.rssMiB),
  };
  console.log(
    `push -> room (webhook): p50 ${latency.gitWebhook.p50Ms} ms, p95 ${latency.gitWebhook.p95Ms} ms; ` +
      `file save -> room: p50 ${latency.fileWatcher.p50Ms} ms, p95 ${latency.fileWatcher.p95Ms} ms ` +
      `(git/file p50 ${result.latencyRatioP50}x)`,
  );
  console.log(
    `${specCount} specs: git source RSS ${gitMem.rssMiB} MiB, heap ${gitMem.heapMiB} MiB, first reconcile ${gitMem.firstReconcileS} s; ` +
      `local files RSS ${fileMem.rssMiB} MiB, heap ${fileMem.heapMiB} MiB, ${fileMem.firstReconcileS} s (git/file RSS ${result.rssRatio}x)`,
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  // Rooms of this run only (a shared server keeps its other rooms).
  for (let i = 0; i < created.length; i += 100) {
    await Promise.all(
      created.slice(i, i + 100).map((n) => port.deleteRoom(n).catch(() => undefined)),
    );
  }
  await owned?.stop();
}
