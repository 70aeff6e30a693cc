// Agent dispatch plan cost: observe + plan for 1,000 live rooms declared with an agent each, as a
// ratio to the same plan for the same rooms without agents (the baseline, measured in this run).
// Two cases: a converged resync (every agent dispatched in this room session: state says so, no
// ListDispatch call) and a first reconcile (every room listed, 1,000 creates planned). The LiveKit
// port is the in-memory fake (what is measured is the planner and its observation logic, not the
// server; the fake passes the port's contract suite).
// Run: node bench/agents-plan.ts [rooms]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../src/app/apply-run.ts';
import { observe, planFrom } from '../src/app/plan-run.ts';
import { loadProject, type Project } from '../src/app/project.ts';
import { openStateBackend } from '../src/adapters/state/open-backend.ts';
import { emptyState, type StateDocument } from '../src/core/inventory.ts';
import { FakeLiveKit } from '../test/fakes/fake-livekit.ts';
import { boundarySecrets } from '../src/spec/secrets.ts';
import { SMOKE, sizeArg } from './smoke.ts';

const ROOMS = sizeArg(0, 1_000, 10);
const RUNS = SMOKE ? 2 : 15;

function roomsYaml(withAgents: boolean): string {
  const docs: string[] = [];
  for (let i = 0; i < ROOMS; i++) {
    const spec = withAgents
      ? { emptyTimeout: 600, agents: [{ agentName: 'receptionist', metadata: `{"n":${i}}` }] }
      : { emptyTimeout: 600 };
    docs.push(
      JSON.stringify({
        apiVersion: 'livekit-gitops/v1',
        kind: 'Room',
        metadata: { name: `room-${i}` },
        spec,
      }),
    );
  }
  return docs.join('\n---\n') + '\n';
}

async function project(dir: string, withAgents: boolean): Promise<Project> {
  await writeFile(join(dir, `${withAgents ? 'with' : 'without'}.yaml`), roomsYaml(withAgents));
  return loadProject({ cwd: dir, env: {}, paths: [`${withAgents ? 'with' : 'without'}.yaml`] });
}

async function timePlans(
  fake: FakeLiveKit,
  p: Project,
  state: StateDocument,
  runs = RUNS,
): Promise<{ ms: number[]; changes: number }> {
  const ms: number[] = [];
  let changes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const observed = await observe(fake, undefined, p, state, {});
    const out = planFrom({
      project: p,
      observed,
      state,
      now: new Date(),
      prune: false,
      toolVersion: 'bench',
      secrets: boundarySecrets({}),
    });
    ms.push(performance.now() - t0);
    changes = out.plan.changes.length;
  }
  return { ms: ms.sort((a, b) => a - b), changes };
}

const median = (xs: number[]): number => xs[Math.floor((xs.length - 1) / 2)] ?? 0;

const dir = await mkdtemp(join(tmpdir(), 'lkg-bench-agents-'));
try {
  const fake = new FakeLiveKit();
  for (let i = 0; i < ROOMS; i++) fake.addParticipant(`room-${i}`, { identity: 'guest' });
  const without = await project(dir, false);
  const withAgents = await project(dir, true);
  const empty = emptyState('bench');

  // Interleaved, so load on a shared machine hits both alike.
  const base = { ms: [] as number[], changes: 0 };
  const first = { ms: [] as number[], changes: 0 };
  for (let i = 0; i < RUNS; i++) {
    const b = await timePlans(fake, without, empty, 1);
    const f = await timePlans(fake, withAgents, empty, 1);
    base.ms.push(...b.ms);
    first.ms.push(...f.ms);
    [base.changes, first.changes] = [b.changes, f.changes];
  }
  base.ms.sort((a, b) => a - b);
  first.ms.sort((a, b) => a - b);

  // Converge: apply the first plan once (the fake records the dispatches), then resync.
  const backend = openStateBackend({ backend: 'file', dir: join(dir, 'state') }, dir);
  const observed = await observe(fake, undefined, withAgents, await backend.read(), {});
  const planned = planFrom({
    project: withAgents,
    observed,
    state: await backend.read(),
    now: new Date(),
    prune: false,
    toolVersion: 'bench',
    secrets: boundarySecrets({}),
  });
  const lock = await backend.acquireLock({ operation: 'apply' });
  await applyPlan({
    plan: planned.plan,
    port: fake,
    lock,
    settled: planned,
    concurrency: 16,
    now: () => new Date(),
    secrets: boundarySecrets({}),
  });
  await lock.release();
  const convergedState = await backend.read();
  const converged = { ms: [] as number[], changes: 0 };
  const base2 = { ms: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    base2.ms.push(...(await timePlans(fake, without, empty, 1)).ms);
    const c = await timePlans(fake, withAgents, convergedState, 1);
    converged.ms.push(...c.ms);
    converged.changes = c.changes;
  }
  base.ms.push(...base2.ms);
  base.ms.sort((a, b) => a - b);
  converged.ms.sort((a, b) => a - b);
  await backend.close();

  const b = median(base.ms);
  const line = (name: string, r: { ms: number[]; changes: number }): string =>
    `  ${name}: median ${median(r.ms).toFixed(1)} ms (${r.changes} changes) = ${(median(r.ms) / b).toFixed(2)}x`;
  console.log(`agents plan: ${ROOMS} live rooms, observe + plan, median of ${RUNS} runs`);
  console.log(`  baseline without agents: median ${b.toFixed(1)} ms (${base.changes} changes)`);
  console.log(line('with agents, converged resync', converged));
  console.log(line('with agents, first reconcile (every room listed)', first));
} finally {
  await rm(dir, { recursive: true, force: true });
}
