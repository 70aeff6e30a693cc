/**
 * `plan --all-targets` benchmark (run on demand):
 *   node bench/plan-all-targets.ts            3 targets x 1,000 rooms, each on its own livekit-server
 *   node bench/plan-all-targets.ts --smoke    3 targets x 5 rooms, one run (a test runs it)
 *
 * The targets share one base of N rooms; each has an overlay patching one room and adding one.
 * In the same run: every target's rooms are applied, then the whole CLI plans each target alone
 * (`plan --target T`, the baselines) and all of them at once (`plan --all-targets`). Prints the
 * median times and the ratio of the all-targets plan to the slowest single-target plan (targets are
 * planned in parallel, so it should stay close to 1) and to the sum of the single plans.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collect, spawnCli, writeFiles } from '../test/harness/cli.ts';
import { startLiveKit, type LiveKitEnv } from '../test/harness/livekit-server.ts';

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    rooms: { type: 'string' },
    runs: { type: 'string' },
  },
});
const smoke = opts.smoke;
const rooms = Number(opts.rooms ?? (smoke ? 5 : 1000));
const runs = Number(opts.runs ?? (smoke ? 1 : 5));
const TARGETS = ['eu', 'us', 'ap'];

const servers: LiveKitEnv[] = await Promise.all(TARGETS.map(() => startLiveKit()));
const serverOf = (i: number): LiveKitEnv => servers[i]!;

const env: Record<string, string> = {};
TARGETS.forEach((t, i) => {
  const lk = serverOf(i);
  const v = t.toUpperCase();
  Object.assign(env, {
    [`${v}_URL`]: lk.url,
    [`${v}_KEY`]: lk.apiKey,
    [`${v}_SECRET`]: lk.apiSecret,
  });
});

const dir = await mkdtemp(join(tmpdir(), 'lkg-bench-targets-'));
const config =
  'targets:\n' +
  TARGETS.map(
    (t) =>
      `  ${t}:\n    livekit: { urlEnv: ${t.toUpperCase()}_URL, apiKeyEnv: ${t.toUpperCase()}_KEY, apiSecretEnv: ${t.toUpperCase()}_SECRET }\n    overlays: [targets/${t}]\n`,
  ).join('');
const files: Record<string, string> = { 'livekit-gitops.yaml': config };
const doc = (name: string, spec: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'livekit-gitops/v1', kind: 'Room', metadata: { name }, spec });
files['rooms/rooms.yaml'] =
  Array.from({ length: rooms }, (_, i) =>
    doc(`room-${i}`, { emptyTimeout: 3600, metadata: { tier: 'base' } }),
  ).join('\n---\n') + '\n';
for (const t of TARGETS) {
  files[`targets/${t}/overlay.yaml`] =
    doc('room-0', { maxParticipants: 50 }) + '\n---\n' + doc(`${t}-only`, {}) + '\n';
}
await writeFiles(dir, files);

async function cli(args: string[]): Promise<{ ms: number; code: number | null; out: string }> {
  const t = process.hrtime.bigint();
  const r = await collect(spawnCli(args, { cwd: dir, env }), 600_000);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, code: r.code, out: r.stdout + r.stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(args: string[], expectCode: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const res = await cli(args);
    if (res.code !== expectCode)
      throw new Error(`${args.join(' ')} exited ${res.code}\n${res.out}`);
    times.push(res.ms);
  }
  return median(times);
}

try {
  for (const t of TARGETS) {
    const applied = await cli(['apply', '--target', t, '--auto-approve']);
    if (applied.code !== 0) throw new Error(`apply --target ${t} failed\n${applied.out}`);
  }
  const single: Record<string, number> = {};
  for (const t of TARGETS) {
    single[t] = await timed(['plan', '--target', t, '--detailed-exitcode'], 0);
  }
  const all = await timed(['plan', '--all-targets', '--detailed-exitcode'], 0);
  const slowest = Math.max(...Object.values(single));
  const sum = Object.values(single).reduce((a, b) => a + b, 0);
  console.log(
    `plan --all-targets: ${TARGETS.length} targets x ${rooms} rooms (a server each), median of ${runs}`,
  );
  for (const t of TARGETS) console.log(`  plan --target ${t}: ${single[t]!.toFixed(0)} ms`);
  console.log(`  plan --all-targets: ${all.toFixed(0)} ms`);
  console.log(`  ratio all-targets / slowest single target: ${(all / slowest).toFixed(2)}x`);
  console.log(`  ratio all-targets / sum of single targets: ${(all / sum).toFixed(2)}x`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
}
