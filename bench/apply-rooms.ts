/**
 * Apply benchmark (run on demand: `node bench/apply-rooms.ts [N ...]`, default 100 1000 5000).
 *
 * For each N, against one real livekit-server (with Redis) on loopback, in the same run:
 *   1. baseline: a plain livekit-server-sdk createRoom loop at concurrency C;
 *   2. apply: the engine's apply path (plan + execute + state writes) for the same N room specs at
 *      the same concurrency, in process, and the whole CLI (`apply --auto-approve`) end to end;
 *   3. plan with nothing to change (one ListRooms + the pure core), in process and via the CLI.
 * Prints times and ratios against the baseline. Rooms are deleted between steps.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { RoomServiceClient } from 'livekit-server-sdk';
import { createLiveKitAdapter } from '../src/adapters/livekit/index.ts';
import { openStateBackend } from '../src/adapters/state/open-backend.ts';
import { applyPlan } from '../src/app/apply-run.ts';
import { loadProject } from '../src/app/project.ts';
import { planLive } from '../src/app/plan-run.ts';
import { collect, spawnCli } from '../test/harness/cli.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import { SMOKE } from './smoke.ts';
import { boundarySecrets } from '../src/spec/secrets.ts';

const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const Ns = SMOKE ? [10] : sizes.length > 0 ? sizes : [100, 1000, 5000];

const lk = await startLiveKit();
const client = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
const env = { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };

async function clearRooms(): Promise<void> {
  const rooms = await client.listRooms();
  const limit = pLimit(32);
  await Promise.all(rooms.map((r) => limit(() => client.deleteRoom(r.name))));
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function baseline(n: number): Promise<number> {
  const limit = pLimit(CONCURRENCY);
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(() => client.createRoom({ name: `room-${i}`, emptyTimeout: 3600 })),
    ),
  );
  return ms(t);
}

async function workspace(n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-bench-'));
  await mkdir(join(dir, 'rooms'));
  const perFile = Math.ceil(n / 50);
  for (let f = 0; f * perFile < n; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(n, (f + 1) * perFile); i++) {
      docs.push(
        `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: room-${i} }\nspec: { emptyTimeout: 3600 }\n`,
      );
    }
    await writeFile(join(dir, 'rooms', `r${f}.yaml`), docs.join('---\n'));
  }
  return dir;
}

async function engineApply(dir: string): Promise<{ planMs: number; applyMs: number }> {
  const project = await loadProject({ cwd: dir, env });
  const port = createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
  const backend = openStateBackend({ backend: 'file' }, dir);
  const lock = await backend.acquireLock({ operation: 'apply' });
  try {
    const t = process.hrtime.bigint();
    const state = await backend.read();
    const live = await planLive({
      port,
      project,
      state,
      now: new Date(),
      prune: false,
      toolVersion: 'bench',
      secrets: boundarySecrets(process.env),
    });
    const planMs = ms(t);
    const report = await applyPlan({
      plan: live.plan,
      port,
      lock,
      settled: live,
      concurrency: CONCURRENCY,
      now: () => new Date(),
      secrets: boundarySecrets(process.env),
    });
    const failed = report.outcomes.filter((o) => !o.ok).length;
    if (failed > 0) throw new Error(`${failed} actions failed`);
    return { planMs, applyMs: ms(t) };
  } finally {
    await lock.release();
    await backend.close();
  }
}

async function enginePlan(dir: string): Promise<number> {
  const project = await loadProject({ cwd: dir, env });
  const port = createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
  const backend = openStateBackend({ backend: 'file' }, dir);
  try {
    const t = process.hrtime.bigint();
    const live = await planLive({
      port,
      project,
      state: await backend.read(),
      now: new Date(),
      prune: false,
      toolVersion: 'bench',
      secrets: boundarySecrets(process.env),
    });
    if (live.plan.changes.length !== 0) throw new Error('expected no changes');
    return ms(t);
  } finally {
    await backend.close();
  }
}

/** Async on purpose: a blocking spawnSync would stall the server's log pipe (it is our child). */
async function cli(args: string[], cwd: string): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await collect(spawnCli(args, { cwd, env }), 600_000);
  if (r.code !== 0) {
    const failures = r.stdout
      .split('\n')
      .filter((l) => l.includes('FAILED'))
      .slice(0, 5);
    throw new Error(`CLI ${args.join(' ')} exited ${r.code}: ${r.stderr}\n${failures.join('\n')}`);
  }
  return ms(t);
}

async function listRoomsMs(): Promise<number> {
  const t = process.hrtime.bigint();
  await client.listRooms();
  return ms(t);
}

console.log(`livekit-server ${lk.version}, concurrency ${CONCURRENCY}, Node ${process.version}`);
console.log(
  'N\tbaseline ms\tapply ms (engine)\tratio\tapply ms (CLI)\tratio\tplan-nochange ms (engine)\tlistRooms ms\tplan-nochange ms (CLI)',
);
try {
  for (const n of Ns) {
    await clearRooms();
    const base = await baseline(n);
    await clearRooms();
    const dir = await workspace(n);
    const engine = await engineApply(dir);
    await clearRooms();
    await rm(join(dir, '.livekit-gitops'), { recursive: true, force: true });
    const cliApply = await cli(
      ['apply', '--auto-approve', '--concurrency', String(CONCURRENCY)],
      dir,
    );
    const planEngine = await enginePlan(dir);
    const list = await listRoomsMs();
    const planCli = await cli(['plan', '--detailed-exitcode'], dir);
    console.log(
      [
        n,
        base.toFixed(0),
        engine.applyMs.toFixed(0),
        (engine.applyMs / base).toFixed(2),
        cliApply.toFixed(0),
        (cliApply / base).toFixed(2),
        planEngine.toFixed(0),
        list.toFixed(0),
        planCli.toFixed(0),
      ].join('\t'),
    );
    await rm(dir, { recursive: true, force: true });
  }
} catch (err) {
  console.error(lk.log().slice(-6000));
  throw err;
} finally {
  await clearRooms();
  await lk.stop();
}
