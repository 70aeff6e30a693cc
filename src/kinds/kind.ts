/**
 * What one kind supplies to the shared pipeline. `observe`, `planFrom`, `applyPlan` (src/app)
 * and the daemon iterate the registry (./index.ts) and call these; none of them names a kind.
 *
 * A kind owns its part of the shared observation: it declares the field on `Observed` from its
 * own folder (`declare module '../kind.ts' { interface Observed { ... } }`) and writes it in
 * `observe`, so adding a kind touches its folder and one registry line.
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { WebhookEventData } from '../adapters/livekit/webhook.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { NotifyEvent } from '../adapters/notify/events.ts';
import type { RoomStatus } from '../adapters/status/room-status.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { BoundKind } from '../core/kind-planner.ts';
import type { ModeratedSession, PendingOperation, StateDocument } from '../core/inventory.ts';
import type { LiveParticipant, LiveRoom } from '../core/live.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import type { Env, Secrets } from '../spec/secrets.ts';
import type { LoadedSpec } from '../spec/types.ts';
import type { StateEffect as RoomStateEffect } from './room/apply.ts';
import type { DesiredRoom } from './room/desired.ts';

export type { Env } from '../spec/secrets.ts';

/**
 * One observation of LiveKit, shared by every kind's planner. The fields here are the pipeline's
 * own; each kind adds its field (see the file comment).
 */
export interface Observed {
  rooms: LiveRoom[];
  /**
   * Participants per room where it was counted exactly. ListRooms' numParticipants can lag behind
   * (with Redis the stored room is refreshed periodically), so decisions that would disconnect
   * people (replace, delete) are re-checked with ListParticipants: see `recount`.
   */
  occupancy?: Map<string, number>;
}

/** Writes a kind's observation into the shared one. */
export type ObservationPart = (observed: Observed) => void;

/** Extra outputs of planning that a kind hands to status and logs (kinds add fields, as above). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the kinds
export interface PlanExtras {}

export interface ObserveInput {
  port: LiveKitPort;
  /** Only these rooms (a webhook-scoped daemon pass); undefined: everything. */
  scope: ReadonlySet<string> | undefined;
  /** The project's specs; undefined: observe rooms only (no project at hand). */
  specs: readonly LoadedSpec[] | undefined;
  /** The state read for this plan (kinds look up what they own). */
  state: StateDocument | undefined;
  env: Env;
  now: Date;
}

export interface PlanStepInput {
  specs: readonly LoadedSpec[] | undefined;
  declaredRooms: readonly DesiredRoom[];
  observed: Observed;
  /** The state as settled by the kinds before this one. */
  state: StateDocument;
  /** The instant schedules and retries are evaluated at (`--at`, usually now). */
  at: Date;
  scope: ReadonlySet<string> | undefined;
  /** The environment and secret resolver the boundary handed down. */
  secrets: Secrets;
  /**
   * The state is a new lineage's (src/core/state-loss.ts): settle adopts what LiveKit holds that
   * is provably ours (a kind that cannot prove it adopts nothing).
   */
  stateLossGuard?: boolean;
}

export interface Settled {
  state: StateDocument;
  extras?: PlanExtras;
}

/** What a finished change does to the state document. */
export interface StateEffect extends RoomStateEffect {
  /** `enforce: onJoin` bookkeeping, recorded under the change's address. */
  moderated?: ModeratedSession;
}

export interface ExecuteContext {
  port: LiveKitPort;
  now: () => Date;
  secrets: Secrets;
}

/** One change's result in apply (the shape `applyPlan` reports). */
export type KindOutcome =
  | { ok: true; change: ResourceChange; effect: StateEffect }
  | { ok: false; change: ResourceChange; error: unknown };

/** What the daemon hands a kind's status fold after a reconcile. */
export interface ReconcileFoldInput {
  status: StatusStore;
  metrics: DaemonMetrics;
  log: { info(fields: object, msg: string): void; warn(fields: object, msg: string): void };
  /** The rooms the reconcile covered (undefined: a full resync). */
  scope: ReadonlySet<string> | undefined;
  specs: readonly LoadedSpec[];
  observed: Observed;
  /** Participants listed after apply (full resyncs, occupied declared rooms). */
  participants: ReadonlyMap<string, readonly LiveParticipant[]>;
  settled: StateDocument;
  extras: PlanExtras;
  outcomes: readonly KindOutcome[];
  now: Date;
  env: Env;
  /** Values scrubbed from every message that lands in a status. */
  secretValues: readonly string[];
  /** Reconcile `room` again at `atMs` (a retry or a pending answer waits on no event). */
  requeueAt: (room: string, atMs: number) => void;
}

/**
 * A kind's part of the status files, made once per daemon (a fold may keep memory between
 * reconciles and webhooks, e.g. which policy each egress belongs to). The room's own facts
 * (live, participants, conditions, last reconcile) are folded by the daemon first.
 */
export interface KindStatusFolds {
  /** One webhook event, into the status of the room it names. */
  foldEvent?: (
    s: RoomStatus,
    ev: WebhookEventData,
    ctx: { now: string; secretValues: readonly string[] },
  ) => void;
  /** What one reconcile observed, settled and did, into the room statuses. */
  foldReconcile?: (input: ReconcileFoldInput) => void;
  /** Notifications an event makes at once (an ended recording); none: undefined or []. */
  notices?: (ev: WebhookEventData) => NotifyEvent[];
}

/** How `livekit-gitops status` shows a kind's section of a room's status. Pure. */
export interface KindStatusView {
  /** A column of the rooms table. */
  column?: { head: string; cell: (s: RoomStatus) => string };
  /** Lines of the one-room detail view (indented by two spaces). */
  lines?: (s: RoomStatus) => string[];
}

export interface KindModule {
  /** The spec kind, e.g. `Room`. */
  readonly kind: string;
  /**
   * Kinds this one plans after: it reads their settled state or acts on their objects. The
   * registry's order must respect it (the completeness test checks); deletes run in reverse.
   */
  readonly dependsOn?: readonly string[];
  /** Kinds whose changes must have run before this kind's changes run (ids they assign). */
  readonly applyAfter?: readonly string[];
  /** The user's page for the kind (repository path), e.g. `docs/recording.md`. */
  readonly docs: string;
  /**
   * The room whose status a change belongs to, for kinds whose changes are named after a policy or
   * rule (the room is in the payload); undefined: the change's name is the room.
   */
  readonly roomOf?: (change: ResourceChange) => string | undefined;
  /** The kind's status folds (see KindStatusFolds), made once per daemon. */
  readonly status?: () => KindStatusFolds;
  /** Its section in `livekit-gitops status`. */
  readonly statusView?: KindStatusView;
  /** Set for a kind `import` cannot read back from LiveKit: why. */
  readonly notImportable?: string;
  /** Set for a kind nothing of which lives in LiveKit: why it has no observe/plan/execute. */
  readonly notReconciled?: string;
  /** Runs after every other kind has observed, with their merged observation. */
  readonly observesAfterOthers?: boolean;
  /** Reads what the kind needs from LiveKit; undefined: nothing to observe this time. */
  readonly observe?: (input: ObserveInput, sofar: Observed) => Promise<ObservationPart | undefined>;
  /**
   * After a first plan: counts that plan's decisions rest on, confirmed exactly; undefined when
   * none needs it (the pipeline then plans again with the refined observation).
   */
  readonly recount?: (
    port: LiveKitPort,
    plan: Plan,
    observed: Observed,
  ) => Promise<ObservationPart | undefined>;
  /** State × observation → state (resolves pending markers, drops what is gone). Pure. */
  readonly settle?: (input: PlanStepInput) => Settled | undefined;
  /** Specs × observation × settled state → the kind's planner; undefined: nothing to plan. Pure. */
  readonly plan?: (input: PlanStepInput) => BoundKind | undefined;
  /** One change through the port → what it does to the state. */
  readonly execute?: (change: ResourceChange, ctx: ExecuteContext) => Promise<StateEffect>;
  /** What a failed change records in the state (retry bookkeeping). */
  readonly recordFailure?: (
    doc: StateDocument,
    change: ResourceChange,
    error: unknown,
    at: Date,
    env: Env,
  ) => void;
  /**
   * The pending marker written before a change that is not idempotent; undefined: the default
   * (creates and replaces, matched by name and the payload's `match`).
   */
  readonly pendingMarker?: (
    change: ResourceChange,
    startedAt: string,
  ) => PendingOperation | undefined;
}

/** `roomOf` for kinds whose changes carry their room in the payload. */
export function roomInPayload(payload: ResourceChange['payload']): string | undefined {
  const room = payload['room'];
  return typeof room === 'string' ? room : undefined;
}
