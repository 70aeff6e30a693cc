/**
 * Two reconciles of different rooms overlap (the daemon runs up to `--workers` at once; a CI
 * apply may write beside it): each reads the state at its start, and each must write only its
 * own changes, so neither loses the other's owned, pending, recording or moderation records.
 * Interleaved deterministically by holding port calls (the contract-tested fake behind a
 * holdable wrapper); run against each real state backend.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateBackend, StateLock } from '../../src/adapters/state/backend.ts';
import type { LiveKitPort } from '../../src/adapters/livekit/port.ts';
import { applyPlan, type ApplyReport } from '../../src/app/apply-run.ts';
import { observe, planFrom } from '../../src/app/plan-run.ts';
import { loadProject, type Project } from '../../src/app/project.ts';
import { boundarySecrets } from '../../src/spec/secrets.ts';
import { FakeLiveKit } from '../fakes/fake-livekit.ts';
import { holdable } from '../fakes/holdable-port.ts';

const room = (name: string) => ({
  apiVersion: 'livekit-gitops/v1',
  kind: 'Room',
  metadata: { name },
  spec: {},
});

const SPECS = [
  room('room-a'),
  room('room-b'),
  {
    apiVersion: 'livekit-gitops/v1',
    kind: 'RecordingPolicy',
    metadata: { name: 'rec' },
    spec: {
      rooms: { names: ['room-a', 'room-b'] },
      when: { minParticipants: 1 },
      roomComposite: { layout: 'grid' },
      outputs: [{ file: { filepath: 'rec/{room_name}.mp4' } }],
    },
  },
  {
    apiVersion: 'livekit-gitops/v1',
    kind: 'ModerationRule',
    metadata: { name: 'stage' },
    spec: {
      rooms: { names: ['room-a', 'room-b'] },
      enforce: 'onJoin',
      rules: [{ participants: { identity: ['*'] }, permissions: { canPublishData: false } }],
    },
  },
]
  .map((d) => JSON.stringify(d))
  .join('\n---\n');

const env = { LIVEKIT_API_SECRET: 'k' };
const secrets = boundarySecrets(env);
let dir: string | undefined;
let backend: StateBackend | undefined;
let held: StateLock | undefined;

afterEach(async () => {
  await held?.release();
  await backend?.close();
  held = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  backend = undefined;
  dir = undefined;
});

type OpenBackend = (dir: string) => StateBackend;

async function setUp(
  open: OpenBackend,
): Promise<{ project: Project; backend: StateBackend; lock: StateLock }> {
  dir = await mkdtemp(join(tmpdir(), 'lkg-interleave-'));
  await writeFile(join(dir, 'specs.yaml'), SPECS);
  const project = await loadProject({ cwd: dir, env, paths: ['specs.yaml'] });
  backend = open(dir);
  // Held once for both runs, as the daemon's parallel reconciles share one hold.
  held = await backend.acquireLock({ operation: 'daemon' });
  return { project, backend, lock: held };
}

/** One room's reconcile as the daemon runs it: read state, observe, plan, apply under the lock. */
async function reconcile(
  port: LiveKitPort,
  { project, backend: state, lock }: { project: Project; backend: StateBackend; lock: StateLock },
  name: string,
): Promise<ApplyReport> {
  const scope = new Set([name]);
  const base = await state.read();
  const observed = await observe(port, scope, project, base, env);
  const planned = planFrom({
    project,
    observed,
    state: base,
    now: new Date(),
    prune: false,
    toolVersion: 'test',
    scope,
    secrets,
  });
  return applyPlan({
    plan: planned.plan,
    port,
    lock,
    settled: planned,
    concurrency: 4,
    now: () => new Date(),
    secrets,
  });
}

export function describeInterleavedReconciles(name: string, open: OpenBackend): void {
  describe(`overlapping reconciles write deltas (${name} state)`, () => {
    it('a reconcile that read the state before another wrote keeps the other one’s records', async () => {
      const bed = await setUp(open);
      const { backend } = bed;
      const fake = new FakeLiveKit();
      const { port, hold } = holdable(fake);

      // B reads the (empty) state, then waits in its observation.
      const bHeld = hold('listRooms');
      const b = reconcile(port, bed, 'room-b');
      await bHeld.reached;

      // Meanwhile room-a is created, then someone joins: recording (its start refused once, so
      // retry bookkeeping is kept) and onJoin moderation act there.
      await reconcile(port, bed, 'room-a');
      fake.addParticipant('room-a', { identity: 'alice' });
      fake.failNext('startEgress', 1, 'internal');
      await reconcile(port, bed, 'room-a');
      const afterA = await backend.read();
      expect(Object.keys(afterA.owned)).toEqual(['room.room-a']);
      expect(Object.keys(afterA.recordings ?? {})).toEqual(['recording.rec.room-a']);
      expect(Object.values(afterA.moderated ?? {}).map((m) => m.identity)).toEqual(['alice']);

      bHeld.release();
      const bReport = await b;
      expect(bReport.outcomes.map((o) => o.ok)).toEqual([true]);
      const after = await backend.read();
      expect(Object.keys(after.owned).sort()).toEqual(['room.room-a', 'room.room-b']);
      expect(after.recordings).toEqual(afterA.recordings);
      expect(after.moderated).toEqual(afterA.moderated);
    });

    it('a pending start of one reconcile survives another one’s write, then becomes owned', async () => {
      const bed = await setUp(open);
      const { backend } = bed;
      const fake = new FakeLiveKit();
      const { port, hold } = holdable(fake);
      await reconcile(port, bed, 'room-a');
      await reconcile(port, bed, 'room-b');
      fake.addParticipant('room-a', { identity: 'alice' });
      fake.addParticipant('room-b', { identity: 'bob' });

      // A reads the state and waits in its observation; B writes its pending start and waits in
      // StartEgress; A then plans from what it read before B's marker and writes its own results.
      const aListed = hold('listRooms');
      const a = reconcile(port, bed, 'room-a');
      await aListed.reached;
      const bStarting = hold('startEgress');
      const b = reconcile(port, bed, 'room-b');
      await bStarting.reached;
      expect(Object.keys((await backend.read()).pending)).toEqual(['recording.rec.room-b']);
      aListed.release();
      await a;
      const mid = await backend.read();
      // A's own start (room-a) is done; B's marker is still there, as B wrote it.
      expect(Object.keys(mid.pending)).toEqual(['recording.rec.room-b']);
      expect(mid.owned['recording.rec.room-a']?.serverId).toMatch(/^EG_/);
      expect(Object.keys(mid.moderated ?? {})).toHaveLength(1);

      bStarting.release();
      await b;
      const after = await backend.read();
      expect(after.pending).toEqual({});
      expect(Object.keys(after.owned).sort()).toEqual([
        'recording.rec.room-a',
        'recording.rec.room-b',
        'room.room-a',
        'room.room-b',
      ]);
      expect(Object.values(after.moderated ?? {}).map((m) => m.identity)).toEqual(
        expect.arrayContaining(['alice', 'bob']),
      );
      expect(fake.callsOf('startEgress')).toHaveLength(2);
    });
  });
}
