/**
 * The state-loss guard: a new lineage's first plan adopts the running egress whose request is a
 * selecting policy's (the lost state owned it) instead of starting a second one, reports it, and
 * stays open across scoped reconciles until a full plan writes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { observe, planFrom } from '../../../src/app/plan-run.ts';
import { loadProject, type Project } from '../../../src/app/project.ts';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import { boundarySecrets } from '../../../src/spec/secrets.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';

const POLICY = JSON.stringify({
  apiVersion: 'livekit-gitops/v1',
  kind: 'RecordingPolicy',
  metadata: { name: 'rec' },
  spec: {
    rooms: { match: ['town-*'] },
    when: { minParticipants: 1 },
    roomComposite: { layout: 'grid' },
    outputs: [{ file: { filepath: 'rec/{room_name}.mp4' } }],
  },
});

const env = { LIVEKIT_API_SECRET: 'k' };
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function project(): Promise<Project> {
  dir = await mkdtemp(join(tmpdir(), 'lkg-guard-'));
  await writeFile(join(dir, 'specs.yaml'), POLICY);
  return loadProject({ cwd: dir, env, paths: ['specs.yaml'] });
}

async function planOn(fake: FakeLiveKit, p: Project, state: StateDocument, room?: string) {
  const scope = room === undefined ? undefined : new Set([room]);
  const observed = await observe(fake, scope, p, state, env);
  return planFrom({
    project: p,
    observed,
    state,
    now: new Date(),
    prune: false,
    toolVersion: 'test',
    scope,
    secrets: boundarySecrets(env),
  });
}

/** A recording the lost state had started: same request, as the policy's executor sends it. */
async function runningRecording(fake: FakeLiveKit, p: Project): Promise<string> {
  fake.addParticipant('town-1', { identity: 'alice' });
  const first = await planOn(fake, p, emptyState('old'));
  const start = first.plan.changes.find((c) => c.action === 'start');
  expect(start?.address).toBe('recording.rec.town-1');
  const { executeRecording } = await import('../../../src/kinds/recording-policy/apply.ts');
  const effect = await executeRecording(start!, {
    port: fake,
    now: () => new Date(),
    secrets: boundarySecrets(env),
  });
  return effect.own!.serverId!;
}

describe('state-loss guard', () => {
  it('a new lineage adopts the running egress of a policy instead of starting another', async () => {
    const fake = new FakeLiveKit();
    const p = await project();
    const egressId = await runningRecording(fake, p);

    const out = await planOn(fake, p, emptyState('new'));
    expect(out.plan.changes).toEqual([]);
    expect(out.state.owned['recording.rec.town-1']?.serverId).toBe(egressId);
    expect(out.stateLoss?.adopted).toEqual([
      { address: 'recording.rec.town-1', kind: 'RecordingPolicy', serverId: egressId },
    ]);
    expect(out.plan.warnings.join('\n')).toContain(`adopted recording.rec.town-1 (${egressId})`);
    expect(out.recordingEvents?.map((e) => e.kind)).toEqual(['adopted']);
  });

  it('a state that was written before adopts nothing (a same-request egress is not ours)', async () => {
    const fake = new FakeLiveKit();
    const p = await project();
    await runningRecording(fake, p);
    const written = { ...emptyState('l'), serial: 3 };
    const out = await planOn(fake, p, written);
    expect(out.stateLoss).toBeUndefined();
    expect(out.state.owned).toEqual({});
    expect(out.plan.changes.map((c) => c.action)).toEqual(['start']);
  });

  it('stays open after a scoped reconcile wrote first, and a full plan closes it', async () => {
    const fake = new FakeLiveKit();
    const p = await project();
    const egressId = await runningRecording(fake, p);
    fake.addParticipant('town-2', { identity: 'bob' });

    const scoped = await planOn(fake, p, emptyState('new'), 'town-2');
    expect(scoped.state.stateLossGuard).toBeDefined();
    // The scoped reconcile's write (its start in town-2) makes the serial 1.
    const afterScoped = { ...scoped.state, serial: 1 };
    const full = await planOn(fake, p, afterScoped);
    expect(full.state.owned['recording.rec.town-1']?.serverId).toBe(egressId);
    expect(full.plan.changes.filter((c) => c.address === 'recording.rec.town-1')).toEqual([]);
    expect(full.state.stateLossGuard).toBeUndefined();
  });
});
