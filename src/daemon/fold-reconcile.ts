/**
 * Folds what one reconcile found and did for a room into its status: live facts, the `Synced`
 * and `Ready` conditions (observedGeneration = the room spec's hash) and the last reconcile.
 */
import {
  applyObservation,
  condition,
  setCondition,
  type RoomStatus,
} from '../adapters/status/room-status.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { ChangeOutcome } from '../app/apply-run.ts';
import type { LiveParticipant, LiveRoom } from '../core/live.ts';
import type { Plan } from '../core/plan.ts';
import { scrubText } from '../core/redact.ts';
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { isOpenAt } from '../kinds/room/schedule.ts';

export { roomOfChange } from './status-folds.ts';

export type ReconcileResult = 'success' | 'error' | 'held';

export interface RoomResult {
  name: string;
  desired?: DesiredRoom | undefined;
  live?: LiveRoom | undefined;
  /** Listed on a full resync for occupied rooms; absent otherwise. */
  participants?: LiveParticipant[] | undefined;
  plan?: Plan;
  outcomes?: ChangeOutcome[];
  /** Why a safety guard refused the plan. */
  refused?: string | undefined;
  /** The reconcile failed before planning (LiveKit unreachable, ...). */
  error?: string;
  now: Date;
  full: boolean;
  secretValues: readonly string[];
}

export function foldRoomResult(store: StatusStore, r: RoomResult): ReconcileResult {
  const now = r.now.toISOString();
  if (r.error !== undefined || !r.plan) {
    const message = r.error ?? 'reconcile failed';
    store.update(r.name, (s) => {
      s.lastReconcile = { time: now, result: 'error', actions: [], message };
      setCondition(
        s,
        {
          type: 'Synced',
          status: 'False',
          reason: 'ReconcileFailed',
          message,
          observedGeneration: generation(s),
        },
        now,
      );
    });
    return 'error';
  }
  const plan = r.plan;
  const changes = plan.changes.filter((c) => c.kind === 'Room' && c.name === r.name);
  const held = plan.held.filter((h) => h.kind === 'Room' && h.name === r.name);
  const outcomes = r.outcomes ?? [];
  const failed = outcomes.filter((o) => !o.ok);
  let created: { sid: string | undefined } | undefined;
  let deleted = false;
  for (const o of outcomes) {
    // The room's own changes say whether it was (re)created or deleted; other kinds' changes in
    // the room (agents, recordings, moderation) fold their own sections through the registry.
    if (!o.ok || o.change.kind !== 'Room') continue;
    if (o.change.action === 'create' || o.change.action === 'replace') {
      created = { sid: o.effect.own?.serverId };
    } else if (o.change.action === 'delete') deleted = true;
  }
  const refused = r.refused !== undefined && changes.length > 0;
  const result: ReconcileResult =
    failed.length > 0 ? 'error' : held.length > 0 || refused ? 'held' : 'success';
  const actions = changes.map((c) => {
    const o = outcomes.find((x) => x.change.address === c.address);
    const done = o === undefined ? ' (not attempted)' : o.ok ? '' : ' (failed)';
    return `${c.action}${done}`;
  });

  store.update(r.name, (s) => {
    s.declared = r.desired !== undefined;
    if (created) {
      s.live = true;
      s.sid = created.sid ?? s.sid;
      s.participants = [];
      s.publishers = 0;
    } else if (deleted || !r.live) {
      applyObservation(s, undefined, undefined, now);
    } else if (r.full) {
      applyObservation(s, r.live, r.participants, now);
    } else {
      // Per-room reconciles leave participants to the webhooks that triggered them.
      s.live = true;
      s.sid = r.live.sid;
    }
    if (!r.full || actions.length > 0 || s.lastReconcile?.result !== result) {
      s.lastReconcile = { time: now, result, actions };
      if (failed.length > 0) s.lastReconcile.message = failureText(failed, r.secretValues);
    }
    const gen = r.desired?.specHash ?? '';
    setCondition(s, { ...synced(r, result, failed, held, actions), observedGeneration: gen }, now);
    setCondition(s, { ...ready(r, s.live), observedGeneration: gen }, now);
  });
  return result;
}

function generation(s: RoomStatus): string {
  return condition(s, 'Synced')?.observedGeneration ?? '';
}

function failureText(failed: ChangeOutcome[], secrets: readonly string[]): string {
  return failed
    .map((o) => {
      const e = o.ok ? '' : o.error instanceof Error ? o.error.message : String(o.error);
      return scrubText(`${o.change.action}: ${e}`, secrets);
    })
    .join('; ');
}

type ConditionBody = {
  type: 'Synced' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
};

function synced(
  r: RoomResult,
  result: ReconcileResult,
  failed: ChangeOutcome[],
  held: Plan['held'],
  actions: string[],
): ConditionBody {
  if (failed.length > 0) {
    return {
      type: 'Synced',
      status: 'False',
      reason: 'ApplyFailed',
      message: failureText(failed, r.secretValues),
    };
  }
  if (held.length > 0) {
    return {
      type: 'Synced',
      status: 'False',
      reason: 'ChangeHeld',
      message: held.map((h) => h.reason).join('; '),
    };
  }
  if (result === 'held') {
    return { type: 'Synced', status: 'False', reason: 'SafetyRefusal', message: r.refused ?? '' };
  }
  if (!r.desired) {
    return actions.length > 0
      ? {
          type: 'Synced',
          status: 'True',
          reason: 'Pruned',
          message: 'no spec declares it; deleted',
        }
      : {
          type: 'Synced',
          status: 'Unknown',
          reason: 'NotDeclared',
          message: 'no spec declares this room',
        };
  }
  return {
    type: 'Synced',
    status: 'True',
    reason: 'Reconciled',
    message: actions.length > 0 ? `applied: ${actions.join(', ')}` : 'LiveKit matches the spec',
  };
}

function ready(r: RoomResult, live: boolean): ConditionBody {
  if (r.desired && !isOpenAt(r.desired.schedule, r.now)) {
    return live
      ? {
          type: 'Ready',
          status: 'False',
          reason: 'WindowClosed',
          message: 'outside its schedule windows, still live',
        }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'WindowClosed',
          message: 'outside its schedule windows',
        };
  }
  if (live) {
    return {
      type: 'Ready',
      status: 'True',
      reason: 'Live',
      message: r.desired ? 'the room exists on the server' : 'live, not declared by any spec',
    };
  }
  return {
    type: 'Ready',
    status: 'False',
    reason: 'NotLive',
    message: 'the room does not exist on the server',
  };
}
