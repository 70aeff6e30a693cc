/**
 * Reconciles one work-queue key with the same path as `plan` + `apply`: observe, plan (pure),
 * check safety, applyPlan (state written per action). `*` is a full resync (one ListRooms for
 * everything); `room.<name>` plans just that room. Results are folded into the status files.
 */
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { StateBackend } from '../adapters/state/backend.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import { applyPlan, type ChangeOutcome } from '../app/apply-run.ts';
import { observe, planFrom, recount, type Observed } from '../app/plan-run.ts';
import type { Secrets } from '../spec/secrets.ts';
import type { LiveParticipant, LiveRoom } from '../core/live.ts';
import { scrubText } from '../core/redact.ts';
import { guardDaemonPlan, type DeleteHoldReport } from './delete-budget.ts';
import type { Gate } from './gate.ts';
import type { SharedStateLock } from './shared-state-lock.ts';
import type { SpecStore } from './spec-store.ts';
import type { Notify } from '../adapters/notify/events.ts';
import { reconcileEvents } from './notify-events.ts';
import { foldRoomResult, type ReconcileResult } from './fold-reconcile.ts';
import { reassertDeclaredRooms } from './reassert-rooms.ts';
import { createStateLossWatch } from './state-loss-watch.ts';
import { needsWrite } from './needs-write.ts';
import { roomOfChange, type StatusFolds } from './status-folds.ts';

export const FULL_RESYNC_KEY = '*';

export function roomKey(name: string): string {
  return `room.${name}`;
}

export interface ReconcilerDeps {
  port: LiveKitPort;
  backend: StateBackend;
  /** The state lock, taken only around this reconcile's writes. */
  stateLock: SharedStateLock;
  specs: SpecStore;
  status: StatusStore;
  metrics: DaemonMetrics;
  log: Logger;
  gate: Gate;
  now: () => Date;
  prune: boolean;
  maxDeletes: number;
  /** `--force`: spec deletes past maxDeletes are made, an empty spec set is acted on. */
  force?: boolean;
  /** Full resyncs' held deletes into `_daemon.yaml`, the log and the metric. */
  deleteHolds?: DeleteHoldReport;
  /** A room-scoped plan held spec deletes back: a full resync counts them together. */
  requestFull?: () => void;
  concurrency: number;
  toolVersion: string;
  secretValues: () => readonly string[];
  /** The environment and secret resolver the command hands down. */
  secrets: Secrets;
  /** Drift, failures, holds and ended recordings go to the notification sinks. */
  notify?: Notify;
  /** ListParticipants calls per full resync at most (occupied declared rooms). */
  maxParticipantLists?: number;
  onFullResync?: (ok: boolean, message?: string) => void;
  /** The kinds' status folds (shared with webhook intake: they remember between the two). */
  folds: StatusFolds;
  /** Reconcile `key` again at `atMs` (recording retries and pending starts wait on no event). */
  requeueAt?: (key: string, atMs: number) => void;
  /** Full resyncs re-home declared rooms whose LiveKit node died (see reassert-rooms.ts). */
  reassertRooms?: boolean;
}

export interface Reconciler {
  reconcile(key: string): Promise<void>;
}

/** A reconcile that ran but left failures: thrown so the key comes back with backoff. */
export class ReconcileFailed extends Error {
  override readonly name = 'ReconcileFailed';
}

function errorText(err: unknown, secrets: readonly string[]): string {
  return scrubText(err instanceof Error ? err.message : String(err), secrets);
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const listLimit = pLimit(8);
  const stateLoss = createStateLossWatch(deps);

  async function listOccupied(
    rooms: readonly LiveRoom[],
    declared: ReadonlySet<string>,
  ): Promise<Map<string, LiveParticipant[]>> {
    const occupied = rooms
      .filter((r) => declared.has(r.name) && r.numParticipants > 0)
      .slice(0, deps.maxParticipantLists ?? 100);
    const out = new Map<string, LiveParticipant[]>();
    await Promise.all(
      occupied.map((r) =>
        listLimit(async () => {
          // A room closing meanwhile is not an error of the resync.
          const list = await deps.port.listParticipants(r.name).catch(() => undefined);
          if (list) out.set(r.name, list);
        }),
      ),
    );
    return out;
  }

  async function runOnce(scope: ReadonlySet<string> | undefined): Promise<ReconcileResult> {
    const snap = deps.specs.current();
    const now = deps.now();
    // State first: recording observation looks up and probes the egresses the state owns.
    const state = stateLoss.saw(await deps.backend.read());
    let observed = await observe(deps.port, scope, { specs: snap.specs }, state, deps.secrets.env);
    const declared = new Set(snap.rooms.map((r) => r.name));
    const unasserted =
      deps.reassertRooms && !scope
        ? await reassertDeclaredRooms(deps, observed.rooms, declared)
        : 0;
    // While any spec file has errors, nothing is pruned: a broken file must not read as "deleted".
    const prune = deps.prune && snap.errors.length === 0;
    const planWith = (o: Observed) =>
      planFrom({
        project: { rooms: snap.rooms, specHash: snap.specHash, specs: snap.specs },
        observed: o,
        state,
        now,
        prune,
        toolVersion: deps.toolVersion,
        scope,
        secrets: deps.secrets,
      });
    let planned = planWith(observed);
    // Decisions made on ListRooms' lagging participant counts are confirmed before acting: the
    // daemon never disconnects people it believed gone, nor starts or stops recordings on stale counts.
    const counted = await recount(deps.port, planned.plan, observed);
    if (counted) {
      observed = counted;
      planned = planWith(observed);
    }
    const { plan, state: settled } = planned;
    const specCount = snap.specs.length;
    const { refused, budget } = guardDaemonPlan(plan, { ...deps, scope, declared, specCount });
    let outcomes: ChangeOutcome[] = [];
    if (
      refused === undefined &&
      (budget.plan.changes.length > 0 || needsWrite(plan, state, settled))
    ) {
      const report = await deps.stateLock.run((lock) =>
        applyPlan({
          plan: budget.plan,
          port: deps.port,
          lock,
          settled: { base: state, state: settled },
          concurrency: deps.concurrency,
          now: deps.now,
          secrets: deps.secrets,
        }),
      );
      outcomes = report.outcomes;
      stateLoss.adopted(planned.stateLoss);
      for (const o of outcomes) {
        if (o.ok) deps.log.info({ address: o.change.address, action: o.change.action }, 'applied');
        else {
          const error = errorText(o.error, deps.secretValues());
          deps.log.error({ address: o.change.address, action: o.change.action, error }, 'failed');
        }
      }
    }

    const participants = scope
      ? new Map<string, LiveParticipant[]>()
      : await listOccupied(observed.rooms, declared);
    // Rooms moderation acted in (a rule may select rooms no spec declares) get their events too.
    const acted = outcomes.map((o) => roomOfChange(o.change));
    const names = scope
      ? [...scope]
      : [...new Set([...declared, ...deps.status.rooms(), ...acted])];
    const live = new Map(observed.rooms.map((r) => [r.name, r]));
    const desired = new Map(snap.rooms.map((r) => [r.name, r]));
    const time = deps.now();
    const heldRooms = new Set(budget.held.map((c) => roomOfChange(c)));
    let overall: ReconcileResult = 'success';
    for (const name of names) {
      const result = foldRoomResult(deps.status, {
        name,
        desired: desired.get(name),
        live: live.get(name),
        participants: participants.get(name),
        plan,
        outcomes: outcomes.filter((o) => roomOfChange(o.change) === name),
        refused: refused ?? (heldRooms.has(name) ? budget.reason : undefined),
        now: time,
        full: scope === undefined,
        secretValues: deps.secretValues(),
      });
      if (result === 'error') overall = 'error';
      else if (result === 'held' && overall === 'success') overall = 'held';
    }
    if (refused !== undefined && overall === 'success') overall = 'held';
    deps.folds.foldReconcile({
      status: deps.status,
      metrics: deps.metrics,
      log: deps.log,
      scope,
      specs: snap.specs,
      observed,
      participants,
      settled,
      extras: planned,
      outcomes,
      now: time,
      env: deps.secrets.env,
      secretValues: deps.secretValues(),
      requeueAt: (room, at) => deps.requeueAt?.(roomKey(room), at),
    });
    const recordingEvents = planned.recordingEvents ?? [];
    const endedEgress = observed.egress?.ended;
    const held = refused ?? (budget.deferred ? undefined : budget.reason);
    for (const e of reconcileEvents({
      plan,
      outcomes,
      refused: held,
      recordingEvents,
      endedEgress,
    }))
      deps.notify?.(e);
    const failed = outcomes.filter((o) => !o.ok).length + unasserted;
    if (failed > 0) throw new ReconcileFailed(`${failed} change(s) failed`);
    return overall;
  }

  return {
    async reconcile(key) {
      const full = key === FULL_RESYNC_KEY;
      const name = full ? undefined : key.slice('room.'.length);
      const scope = name === undefined ? undefined : new Set([name]);
      const end = deps.metrics.reconcileDuration.startTimer({ scope: full ? 'full' : 'room' });
      try {
        const result = await (full
          ? deps.gate.exclusive(() => runOnce(scope))
          : deps.gate.shared(() => runOnce(scope)));
        deps.metrics.reconcileTotal.inc({ result });
        if (full) deps.onFullResync?.(true);
      } catch (err) {
        deps.metrics.reconcileTotal.inc({ result: 'error' });
        const message = errorText(err, deps.secretValues());
        if (!(err instanceof ReconcileFailed)) {
          deps.notify?.({ type: 'failed', ...(name !== undefined ? { room: name } : {}), message });
        }
        if (full) deps.onFullResync?.(false, message);
        else if (name !== undefined && !(err instanceof ReconcileFailed)) {
          foldRoomResult(deps.status, {
            name,
            error: message,
            now: deps.now(),
            full: false,
            secretValues: deps.secretValues(),
          });
        }
        throw err;
      } finally {
        end();
      }
    },
  };
}
