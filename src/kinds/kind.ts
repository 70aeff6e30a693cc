/**
 * What one kind supplies to the shared pipeline. `observe`, `planFrom`, `applyPlan` (src/app)
 * and the daemon iterate the registry (./index.ts) and call these; none of them names a kind.
 *
 * A kind owns its part of the shared observation: it declares the field on `Observed` from its
 * own folder (`declare module '../kind.ts' { interface Observed { ... } }`) and writes it in
 * `observe`, so adding a kind touches its folder and one registry line.
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { BoundKind } from '../core/kind-planner.ts';
import type { ModeratedSession, PendingOperation, StateDocument } from '../core/inventory.ts';
import type { LiveRoom } from '../core/live.ts';
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
