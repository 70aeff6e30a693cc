/**
 * maxDeletes across the daemon. A spec change that removes many rooms reaches the queue as one
 * key per room, and a room-scoped plan holds one delete: checked alone, each is under any budget.
 * So a room-scoped reconcile never deletes: its spec deletes (prune deletes and replacements) wait
 * for a full resync, which it asks for, and a full resync counts every spec delete it plans
 * together. Over `maxDeletes` none of them is made (the rest of the plan is applied), and the
 * hold is reported in `_daemon.yaml`, the log and `livekit_gitops_deletes_held` until a resync
 * plans few enough deletes (specs restored, maxDeletes raised) or the daemon runs with `--force`.
 *
 * Not counted: a scheduled room closing at its window's end, and agent dispatches ending: they
 * are what the specs say, not objects the specs stopped declaring.
 */
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { checkSafety } from '../core/safety.ts';
import { roomOfChange } from './status-folds.ts';

const SCHEDULE_CLOSE = 'delete_because_schedule_window_closed';
/** Addresses listed in `_daemon.yaml` at most (the count is always whole). */
const LISTED = 20;

export function countsAgainstBudget(c: ResourceChange): boolean {
  if (c.action === 'replace') return true;
  return c.action === 'delete' && c.kind !== 'AgentPolicy' && c.actionReason !== SCHEDULE_CLOSE;
}

export interface BudgetDecision {
  /** The plan to apply: without the held deletes. */
  plan: Plan;
  /** The spec deletes not made now. */
  held: ResourceChange[];
  /** Why, for the rooms' statuses; undefined when nothing is held. */
  reason?: string;
  /** A room-scoped plan's deletes, left to the full resync it asks for. */
  deferred: boolean;
}

export function budgetDeletes(
  plan: Plan,
  o: { full: boolean; maxDeletes: number; force: boolean },
): BudgetDecision {
  const counted = plan.changes.filter(countsAgainstBudget);
  if (o.force || counted.length === 0) return { plan, held: [], deferred: false };
  const without = { ...plan, changes: plan.changes.filter((c) => !countsAgainstBudget(c)) };
  if (!o.full) {
    return {
      plan: without,
      held: counted,
      reason: 'deletes wait for the full resync, where they are counted together',
      deferred: true,
    };
  }
  if (counted.length <= o.maxDeletes) return { plan, held: [], deferred: false };
  return {
    plan: without,
    held: counted,
    reason: `the specs now delete ${counted.length} objects (replacements included), more than maxDeletes (${o.maxDeletes}); nothing is deleted until they delete fewer, maxDeletes is raised, or the daemon runs with --force`,
    deferred: false,
  };
}

export interface DeleteHoldReport {
  /** After each full resync's decision: sets or clears the hold in status, log and metric. */
  fullResync(decision: BudgetDecision, maxDeletes: number): void;
  /**
   * Whether a held delete is in this room: a change there (its spec restored) may bring the
   * count within budget, so its reconcile asks for a full resync.
   */
  holdsRoom(room: string): boolean;
}

export function createDeleteHoldReport(o: {
  status: StatusStore;
  registry: Registry;
  log: Logger;
  now: () => Date;
}): DeleteHoldReport {
  const gauge = new Gauge({
    name: 'livekit_gitops_deletes_held',
    help: 'Spec deletes a full resync did not make because they exceed maxDeletes (0: none held).',
    registers: [o.registry],
  });
  gauge.set(0);
  let heldRooms = new Set<string>();
  return {
    holdsRoom: (room) => heldRooms.has(room),
    fullResync(d, maxDeletes) {
      const count = d.deferred ? 0 : d.held.length;
      const before = o.status.daemon().deletesHeld;
      gauge.set(count);
      heldRooms = new Set(count === 0 ? [] : d.held.map((c) => roomOfChange(c)));
      if (count === 0 || d.reason === undefined) {
        if (!before) return;
        o.status.updateDaemon((s) => delete s.deletesHeld);
        o.log.info({ maxDeletes }, 'deletes no longer held: within maxDeletes');
        return;
      }
      const addresses = d.held.map((c) => c.address).sort();
      o.log.warn(
        { deletes: count, maxDeletes, first: addresses.slice(0, LISTED) },
        'deletes held: more than maxDeletes',
      );
      o.status.updateDaemon((s) => {
        s.deletesHeld = {
          count,
          maxDeletes,
          reason: d.reason ?? '',
          since: before?.since ?? o.now().toISOString(),
          addresses: addresses.slice(0, LISTED),
        };
      });
    },
  };
}

/**
 * The daemon's safety check of one plan: the empty-spec-set guard refuses it whole (as in
 * `apply`); the spec deletes are budgeted as above.
 */
export function guardPlan(
  plan: Plan,
  o: { full: boolean; maxDeletes: number; force: boolean; specCount: number },
): { refused?: string; budget: BudgetDecision } {
  const safety = checkSafety(plan, {
    maxDeletes: Number.MAX_SAFE_INTEGER,
    force: o.force,
    specCount: o.specCount,
  });
  const budget = budgetDeletes(plan, o);
  return safety.ok ? { budget } : { refused: safety.reasons.join('; '), budget };
}

/**
 * guardPlan for one reconcile, with its reports: the refusal logged, a full resync's hold
 * reported, and a full resync asked for when a room-scoped plan held deletes back or a room
 * whose delete is held is declared again (the count may be within budget now).
 */
export function guardDaemonPlan(
  plan: Plan,
  o: {
    scope: ReadonlySet<string> | undefined;
    declared: ReadonlySet<string>;
    specCount: number;
    maxDeletes: number;
    force?: boolean | undefined;
    deleteHolds?: DeleteHoldReport | undefined;
    requestFull?: (() => void) | undefined;
    log: Logger;
  },
): { refused?: string; budget: BudgetDecision } {
  const full = o.scope === undefined;
  const force = o.force ?? false;
  const guarded = guardPlan(plan, {
    full,
    maxDeletes: o.maxDeletes,
    force,
    specCount: o.specCount,
  });
  if (guarded.refused !== undefined) {
    o.log.warn({ reasons: guarded.refused }, 'reconcile refused by a safety guard');
  } else if (full) o.deleteHolds?.fullResync(guarded.budget, o.maxDeletes);
  const restored = [...(o.scope ?? [])].some(
    (n) => o.declared.has(n) && o.deleteHolds?.holdsRoom(n) === true,
  );
  if (guarded.budget.deferred || restored) o.requestFull?.();
  return guarded;
}
