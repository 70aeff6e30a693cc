/**
 * How a kind plugs into plan assembly. Each kind (Room first; RecordingPolicy, ModerationRule,
 * Ingress, SIP later) supplies keys, a pure diff and the fingerprint of the live fields its
 * decisions read; the assembler does the outer join, ownership, protection, ordering and hashing.
 */
import type { StateDocument } from './inventory.ts';
import type { HeldChange, JsonValue, ResourceChange } from './plan.ts';

/** What the assembler tells a kind's diff about one object. */
export interface DiffContext {
  /** The tool created or adopted this live object (state inventory, or a pending create). */
  owned: boolean;
  /** preventDestroy: from the spec when it exists, else from state (removing the spec keeps it). */
  protected: boolean;
  /** The instant schedules are evaluated at (`--at`, usually now). */
  now: Date;
  /** Delete owned objects whose spec was removed. */
  prune: boolean;
}

export interface DiffOutcome {
  change?: ResourceChange;
  held?: HeldChange;
  warning?: string;
}

export interface KindPlanner<Desired, Live> {
  /** The spec kind, e.g. `Room`. */
  readonly kind: string;
  /** The join key of a desired object (its name). */
  desiredKey(desired: Desired): string;
  /** The join key of a live object. */
  liveKey(live: Live): string;
  /** The plan address for a key, e.g. `room.<name>`. */
  address(key: string): string;
  /** The server id recorded in state for ownership (room sid, ingress id); undefined if none. */
  serverId(live: Live): string | undefined;
  /** Whether the spec asks for preventDestroy. */
  preventDestroy(desired: Desired): boolean;
  diff(desired: Desired | undefined, live: Live | undefined, ctx: DiffContext): DiffOutcome;
  /** The live fields the decisions read, for the plan's liveHash (a saved plan is stale when they move). */
  liveFingerprint(live: Live): JsonValue;
}

/** One kind's planner with its inputs, types erased so kinds can share one list. */
export interface BoundKind {
  readonly kind: string;
  plan(state: StateDocument, ctx: Omit<DiffContext, 'owned' | 'protected'>): KindResult;
}

export interface KindResult {
  changes: ResourceChange[];
  held: HeldChange[];
  warnings: string[];
  /** address → live fingerprint, for the objects that can affect a decision. */
  liveFacts: Record<string, JsonValue>;
  /** Addresses whose spec declares preventDestroy / no longer does. */
  protect: string[];
  unprotect: string[];
}

/** A result with nothing in it yet, for a planner to fill. */
export function emptyKindResult(): KindResult {
  return { changes: [], held: [], warnings: [], liveFacts: {}, protect: [], unprotect: [] };
}

/**
 * Ownership: recorded in state and (when a server id was recorded) the same instance, since a
 * room that closed by itself and was re-created by a client under the same name is not ours.
 * A pending create counts: an apply killed between the call and the state write must converge.
 */
export function isOwned(
  state: StateDocument,
  address: string,
  serverId: string | undefined,
): boolean {
  const pending = state.pending[address];
  if (
    pending !== undefined &&
    (pending.operation === 'create' || pending.operation === 'replace')
  ) {
    return true;
  }
  const owned = state.owned[address];
  if (owned === undefined) return false;
  return owned.serverId === undefined || serverId === undefined || owned.serverId === serverId;
}

export function bindKind<Desired, Live>(
  planner: KindPlanner<Desired, Live>,
  desired: readonly Desired[],
  live: readonly Live[],
): BoundKind {
  return { kind: planner.kind, plan: (state, ctx) => planKind(planner, desired, live, state, ctx) };
}

function planKind<Desired, Live>(
  planner: KindPlanner<Desired, Live>,
  desiredList: readonly Desired[],
  liveList: readonly Live[],
  state: StateDocument,
  ctx: Omit<DiffContext, 'owned' | 'protected'>,
): KindResult {
  const desiredByKey = new Map(desiredList.map((d) => [planner.desiredKey(d), d]));
  const liveByKey = new Map(liveList.map((l) => [planner.liveKey(l), l]));
  const result = emptyKindResult();
  const keys = [...new Set([...desiredByKey.keys(), ...liveByKey.keys()])].sort();
  for (const key of keys) {
    const address = planner.address(key);
    const desired = desiredByKey.get(key);
    const live = liveByKey.get(key);
    const owned = live !== undefined && isOwned(state, address, planner.serverId(live));
    // An undeclared live object the tool does not own (a client-created room) never matters.
    if (desired === undefined && !owned && state.owned[address] === undefined) continue;
    const inState = state.protections[address] !== undefined;
    const declared = desired === undefined ? undefined : planner.preventDestroy(desired);
    if (declared === true && !inState) result.protect.push(address);
    if (declared === false && inState) result.unprotect.push(address);
    const isProtected = declared ?? inState;
    if (live !== undefined) result.liveFacts[address] = planner.liveFingerprint(live);
    const outcome = planner.diff(desired, live, { ...ctx, owned, protected: isProtected });
    if (outcome.change !== undefined) result.changes.push(outcome.change);
    if (outcome.held !== undefined) result.held.push(outcome.held);
    if (outcome.warning !== undefined) result.warnings.push(outcome.warning);
  }
  return result;
}
