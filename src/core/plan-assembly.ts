/**
 * Plan assembly: runs every kind's planner, orders the changes deterministically and stamps the
 * hashes a saved plan is checked against. Pure: time comes in as parameters.
 */
import { hashOf } from './canonical-json.ts';
import type { BoundKind } from './kind-planner.ts';
import type { StateDocument } from './inventory.ts';
import type { ChangeAction, JsonValue, Plan, ResourceChange } from './plan.ts';

export interface AssemblyInput {
  /** In dependency order: rooms before the kinds that act on rooms. Deletes run in reverse. */
  kinds: readonly BoundKind[];
  state: StateDocument;
  /** Wall-clock time the plan is made (createdAt). */
  now: Date;
  /** The instant schedules are evaluated at (`--at`); defaults to `now`. */
  evaluatedAt?: Date;
  prune: boolean;
  toolVersion: string;
  specHash: string;
}

/** Creates and in-place updates first, then replaces, egress and moderation, deletes last. */
const rank: Record<ChangeAction, number> = {
  create: 0,
  update: 0,
  replace: 1,
  start: 2,
  moderate: 2,
  stop: 3,
  delete: 4,
};

function compareChanges(kindIndex: Map<string, number>) {
  return (a: ResourceChange, b: ResourceChange): number => {
    const byRank = rank[a.action] - rank[b.action];
    if (byRank !== 0) return byRank;
    const ka = kindIndex.get(a.kind) ?? 0;
    const kb = kindIndex.get(b.kind) ?? 0;
    // Deletes go in reverse kind order: dependents (policies) before what they act on (rooms).
    if (ka !== kb) return a.action === 'delete' ? kb - ka : ka - kb;
    return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  };
}

/** The parts of the state that decide a plan: what is owned (which instance), protected, pending. */
export function stateHashOf(state: StateDocument): string {
  const owned: Record<string, JsonValue> = {};
  for (const [address, object] of Object.entries(state.owned))
    owned[address] = object.serverId ?? null;
  const pending: Record<string, JsonValue> = {};
  for (const [address, op] of Object.entries(state.pending)) pending[address] = op.operation;
  return hashOf({
    lineage: state.lineage,
    owned,
    protections: Object.keys(state.protections).sort(),
    pending,
  });
}

export function assemblePlan(input: AssemblyInput): Plan {
  const evaluatedAt = input.evaluatedAt ?? input.now;
  const ctx = { now: evaluatedAt, prune: input.prune };
  const kindIndex = new Map(input.kinds.map((bound, index) => [bound.kind, index]));
  const changes: ResourceChange[] = [];
  const plan: Plan = {
    formatVersion: '1.0',
    toolVersion: input.toolVersion,
    createdAt: input.now.toISOString(),
    evaluatedAt: evaluatedAt.toISOString(),
    specHash: input.specHash,
    liveHash: '',
    stateHash: stateHashOf(input.state),
    changes,
    held: [],
    warnings: [],
    protections: { protect: [], unprotect: [] },
  };
  const liveFacts: Record<string, JsonValue> = {};
  for (const bound of input.kinds) {
    const result = bound.plan(input.state, ctx);
    changes.push(...result.changes);
    plan.held.push(...result.held);
    plan.warnings.push(...result.warnings);
    plan.protections?.protect.push(...result.protect);
    plan.protections?.unprotect.push(...result.unprotect);
    Object.assign(liveFacts, result.liveFacts);
  }
  changes.sort(compareChanges(kindIndex));
  plan.held.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  plan.liveHash = hashOf(liveFacts);
  return plan;
}
