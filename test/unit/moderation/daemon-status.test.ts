import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStateDocument } from '../../../src/adapters/state/parse-state.ts';
import { createStatusStore, type StatusStore } from '../../../src/adapters/status/status-store.ts';
import { applyPlan, type ChangeOutcome } from '../../../src/app/apply-run.ts';
import type { StateLock } from '../../../src/adapters/state/backend.ts';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { assemblePlan } from '../../../src/core/plan-assembly.ts';
import type { Plan } from '../../../src/core/plan.ts';
import { createDaemonMetrics } from '../../../src/adapters/metrics/registry.ts';
import { emptyState } from '../../../src/core/inventory.ts';
import { foldRoomResult, roomOfChange } from '../../../src/daemon/fold-reconcile.ts';
import { createStatusFolds } from '../../../src/daemon/status-folds.ts';
import { bindModeration } from '../../../src/kinds/moderation-rule/planner.ts';
import { createFakeLiveKit, type FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { aRule, aState } from './builders.ts';
import { boundarySecrets } from '../../../src/spec/secrets.ts';

const at = new Date('2026-05-01T10:00:00.000Z');
let dir: string | undefined;

afterEach(async () => {
  for (const l of locks.splice(0)) await l.release();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A real file state backend and its lock in a temp dir (released in afterEach). */
const locks: { release(): Promise<void> }[] = [];
async function fileLock(): Promise<StateLock> {
  const stateDir = await mkdtemp(join(tmpdir(), 'lkg-mod-state-'));
  const backend = openStateBackend({ backend: 'file', dir: stateDir }, stateDir);
  const lock = await backend.acquireLock({ operation: 'apply' });
  locks.push({
    async release() {
      await lock.release();
      await backend.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  });
  return lock;
}

async function planOn(fake: FakeLiveKit, rules: Parameters<typeof aRule>[1][], state = aState()) {
  const defs = rules.map((spec, i) => aRule(`rule-${i}`, spec));
  return assemblePlan({
    kinds: [
      bindModeration({
        rules: defs,
        roles: new Map(),
        declaredLabels: new Map(),
        participants: new Map([['town-hall', await fake.listParticipants('town-hall')]]),
      }),
    ],
    state,
    now: at,
    prune: false,
    toolVersion: 'test',
    specHash: 'h',
  });
}

async function store(): Promise<StatusStore> {
  dir = await mkdtemp(join(tmpdir(), 'lkg-mod-status-'));
  return createStatusStore({ dir, now: () => at.toISOString() });
}

/** What the daemon does after a reconcile: the room's own facts, then the kinds' folds. */
function fold(s: StatusStore, plan: Plan, outcomes: ChangeOutcome[]): void {
  foldRoomResult(s, {
    name: 'town-hall',
    plan,
    outcomes: outcomes.filter((o) => roomOfChange(o.change) === 'town-hall'),
    now: at,
    full: false,
    secretValues: ['s3cr3t'],
  });
  createStatusFolds().foldReconcile({
    status: s,
    metrics: createDaemonMetrics({ queueDepth: () => 0, defaults: false }),
    log: { info: () => undefined, warn: () => undefined },
    scope: new Set(['town-hall']),
    specs: [],
    observed: { rooms: [] },
    participants: new Map(),
    settled: emptyState('test'),
    extras: {},
    outcomes,
    now: at,
    env: {},
    secretValues: ['s3cr3t'],
    requeueAt: () => undefined,
  });
}

const secrets = boundarySecrets(process.env);

describe('daemon status: moderation actions become room status events', () => {
  it('records rule, participant, effect and result for each action, in the room named by the payload', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'banned-1' });
    fake.addParticipant('town-hall', { identity: 'alice' });
    fake.addTrack('town-hall', 'alice', { source: 'microphone' });
    const plan = await planOn(fake, [
      {
        rules: [
          { participants: { identity: ['banned-*'] }, remove: true },
          { participants: { identity: ['*'] }, mute: ['microphone'] },
        ],
      },
    ]);
    expect(plan.changes.map((c) => c.name)).toEqual(['rule-0', 'rule-0']);
    expect(plan.changes.map((c) => roomOfChange(c))).toEqual(['town-hall', 'town-hall']);
    const lock = await fileLock();
    const report = await applyPlan({
      plan,
      port: fake,
      lock,
      concurrency: 2,
      now: () => at,
      secrets,
    });
    const s = await store();
    fold(s, plan, report.outcomes);

    const events = s.peek('town-hall')?.events ?? [];
    const byParticipant = new Map(events.map((e) => [e.participant, e]));
    expect(byParticipant.get('banned-1')).toEqual({
      id: 'moderation.rule-0.town-hall.banned-1',
      event: 'moderation',
      time: at.toISOString(),
      participant: 'banned-1',
      rule: 'rule-0.rules[0]',
      effect: 'remove',
      result: 'ok',
    });
    expect(byParticipant.get('alice')).toMatchObject({
      rule: 'rule-0.rules[1]',
      effect: 'mute microphone',
      result: 'ok',
    });
    expect(s.peek('town-hall')?.lastReconcile?.result).toBe('success');
  });

  it('records a failed action with its error scrubbed of secrets, and a participant who left as ok with a note', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'banned-1' });
    fake.addParticipant('town-hall', { identity: 'bob' });
    const plan = await planOn(fake, [
      {
        rules: [
          { participants: { identity: ['banned-*'] }, remove: true },
          { participants: { identity: ['bob'] }, permissions: { canPublish: false } },
        ],
      },
    ]);
    // banned-1 leaves between plan and apply; bob's update fails with a message holding a secret.
    await fake.removeParticipant('town-hall', 'banned-1');
    const bob = plan.changes.find((c) => c.address.endsWith('.bob'));
    if (!bob) throw new Error('no change for bob');
    const outcomes: ChangeOutcome[] = [
      ...(
        await applyPlan({
          plan: { ...plan, changes: plan.changes.filter((c) => c !== bob) },
          port: fake,
          lock: await fileLock(),
          secrets,
          concurrency: 1,
          now: () => at,
        })
      ).outcomes,
      { ok: false, change: bob, error: new Error('denied with key s3cr3t') },
    ];
    const s = await store();
    fold(s, plan, outcomes);
    const events = s.peek('town-hall')?.events ?? [];
    expect(events.find((e) => e.participant === 'banned-1')).toMatchObject({
      result: 'ok',
      message: 'participant "banned-1" had already left',
    });
    const failed = events.find((e) => e.participant === 'bob');
    expect(failed).toMatchObject({
      rule: 'rule-0.rules[1]',
      effect: 'permissions canPublish=false',
      result: 'failed',
    });
    expect(failed?.message).not.toContain('s3cr3t');
    expect(s.peek('town-hall')?.lastReconcile?.result).toBe('error');
  });
});

describe('state: onJoin bookkeeping and canManageAgentSession', () => {
  it('parseStateDocument keeps `moderated` (and documents without it stay without it)', () => {
    const moderated = {
      'moderation.r.town-hall.alice': {
        room: 'town-hall',
        identity: 'alice',
        sid: 'PA_1',
        at: at.toISOString(),
      },
    };
    const doc = { ...aState(moderated), serial: 3 };
    expect(parseStateDocument(JSON.stringify(doc), 'state').moderated).toEqual(moderated);
    expect('moderated' in parseStateDocument(JSON.stringify(aState()), 'state')).toBe(false);
  });

  it('plans canManageAgentSession like any other permission field, and the fake keeps it', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'ops' });
    const rules = [
      {
        rules: [
          { participants: { identity: ['ops'] }, permissions: { canManageAgentSession: true } },
        ],
      },
    ];
    const plan = await planOn(fake, rules);
    expect(plan.changes[0]?.changedFields).toEqual(['canManageAgentSession']);
    await applyPlan({
      plan,
      port: fake,
      lock: await fileLock(),
      concurrency: 1,
      now: () => at,
      secrets,
    });
    const [ops] = await fake.listParticipants('town-hall');
    expect(ops?.permission?.canManageAgentSession).toBe(true);
    expect((await planOn(fake, rules)).changes).toEqual([]);
  });
});
