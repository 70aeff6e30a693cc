/**
 * A plan/apply loop over the fake LiveKit for the persistent kinds: specs written as YAML to a temp
 * dir and loaded like the CLI does, state in a real file backend.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateLock } from '../../../src/adapters/state/backend.ts';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { applyPlan, type ApplyReport } from '../../../src/app/apply-run.ts';
import { observe, planFrom, type PlanOutput } from '../../../src/app/plan-run.ts';
import { loadProject, type Project } from '../../../src/app/project.ts';
import type { StateDocument } from '../../../src/core/inventory.ts';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import { boundarySecrets } from '../../../src/spec/secrets.ts';

export const ENV = { SIP_PW: 'hunter2-secret', TOWN_PIN: '4711', LIVEKIT_API_SECRET: 'k' };

export interface Bed {
  dir: string;
  specs(yaml: string): Promise<Project>;
  plan(project: Project, prune?: boolean): Promise<PlanOutput>;
  apply(project: Project, prune?: boolean): Promise<ApplyReport>;
  state(): Promise<StateDocument>;
  lock(): Promise<StateLock>;
  close(): Promise<void>;
}

export async function openBed(port: LiveKitPort): Promise<Bed> {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-persistent-'));
  const backend = openStateBackend({ backend: 'file', dir: join(dir, 'state') }, dir);
  for (const [k, v] of Object.entries(ENV)) process.env[k] = v;
  const readState = (): Promise<StateDocument> => backend.read();
  const plan = async (project: Project, prune = false): Promise<PlanOutput> => {
    const state = await readState();
    const observed = await observe(port, undefined, project, state, process.env);
    return planFrom({
      project,
      observed,
      state,
      now: new Date(),
      prune,
      toolVersion: 'test',
      secrets: boundarySecrets(process.env),
    });
  };
  return {
    dir,
    async specs(yaml) {
      await writeFile(join(dir, 'specs.yaml'), yaml);
      return loadProject({ cwd: dir, env: ENV, paths: ['specs.yaml'] });
    },
    plan,
    async apply(project, prune = false) {
      const out = await plan(project, prune);
      const lock = await backend.acquireLock({ operation: 'apply' });
      try {
        return await applyPlan({
          plan: out.plan,
          port,
          lock,
          settled: out,
          concurrency: 4,
          now: () => new Date(),
          secrets: boundarySecrets(process.env),
        });
      } finally {
        await lock.release();
      }
    },
    state: readState,
    lock: () => backend.acquireLock({ operation: 'apply' }),
    async close() {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
