/**
 * The agent dispatch planner: (wanted dispatches, listed dispatches, settled state) → create,
 * delete and replace changes, one address per agent name and room. Pure.
 *
 * - create: an agent is wanted (its policy holds) in a live room, this tool has not dispatched
 *   it in this room session, no create is awaiting its answer, and no dispatch of that agent
 *   name is in the room already (made by a token, an explicit call, anyone: never a second);
 * - replace: the wanted metadata differs from the dispatch this tool made;
 * - delete: this tool's dispatch is no longer wanted (agent or policy removed, room no longer
 *   selected), or its policy stopped holding and says `removeWhenUnmet`.
 * Dispatches this tool did not make are never changed or deleted. A policy dispatches at most
 * once per room session: one that ended or was removed is not dispatched again until the room
 * closes and comes back.
 */
import { emptyKindResult, type BoundKind, type KindResult } from '../../core/kind-planner.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveAgentDispatch } from '../../core/live.ts';
import { createDispatchChange, deleteDispatchChange, replaceDispatchChange } from './change.ts';
import { AGENT_KIND, isAgentDispatchAddress, recordOf } from './desired.ts';
import type { WantedDispatch } from './wanted.ts';

export interface AgentPlanInput {
  wanted: ReadonlyMap<string, WantedDispatch>;
  /** Dispatches of the rooms that were listed (rooms needing no decision are not). */
  dispatches: ReadonlyMap<string, readonly LiveAgentDispatch[]>;
  scope?: ReadonlySet<string> | undefined;
}

export function bindAgents(input: AgentPlanInput): BoundKind {
  return { kind: AGENT_KIND, plan: (state) => planAgentDispatches(input, state) };
}

/** Every address to decide: wanted, owned or pending in scope (plan assembly orders changes). */
function addressesOf(input: AgentPlanInput, state: StateDocument): Iterable<string> {
  const inScope = (room: string | undefined): boolean =>
    room !== undefined && (input.scope === undefined || input.scope.has(room));
  let extra: string[] | undefined;
  for (const address in state.owned) {
    const o = state.owned[address];
    if (o?.kind !== AGENT_KIND || input.wanted.has(address)) continue;
    if (inScope(o.match?.['room'])) (extra ??= []).push(address);
  }
  for (const address in state.pending) {
    const p = state.pending[address];
    if (p === undefined || !isAgentDispatchAddress(address) || input.wanted.has(address)) continue;
    if (state.owned[address]?.kind === AGENT_KIND) continue; // counted above
    if (inScope(p.match['room'])) (extra ??= []).push(address);
  }
  return extra === undefined ? input.wanted.keys() : [...input.wanted.keys(), ...extra];
}

export function planAgentDispatches(input: AgentPlanInput, state: StateDocument): KindResult {
  const result = emptyKindResult();
  for (const address of addressesOf(input, state)) {
    const w = input.wanted.get(address);
    const owned = state.owned[address];
    const pending = state.pending[address];
    // The live fact is whether a policy holds. A Room's own agents always hold, and their room's
    // sid is the room's fact already; the dispatch id and a pending create are in the state hash.
    // Kept small: a plan of many rooms would hash one per agent and room.
    if (w?.source.kind !== 'Room') result.liveFacts[address] = w?.holds ?? false;
    const held = (reason: string): void => {
      const name = w?.source.name ?? owned?.name ?? '';
      result.held.push({ address, kind: AGENT_KIND, name, action: 'create', reason });
    };
    if (pending) {
      held(
        `a dispatch sent at ${pending.startedAt} has no answer yet; waiting for it to be listed`,
      );
      continue;
    }
    const rec = owned?.match === undefined ? undefined : recordOf(owned.match);
    if (rec && owned?.serverId && rec.status === 'dispatched') {
      // Converged (wanted, holding, same metadata): nothing to decide, nothing to allocate.
      if (w?.holds === true && w.metadata === rec.metadata) continue;
      planOwned(w, rec, owned.serverId, address, owned.name, result);
      continue;
    }
    if (!w || !w.holds || rec) continue;
    const listed = input.dispatches.get(w.room.name);
    if (listed === undefined) {
      held("the room's dispatches could not be listed");
      continue;
    }
    const other = listed.find((d) => d.agentName === w.agentName);
    if (other) {
      result.liveFacts[address] = other.id;
      continue;
    }
    result.changes.push(
      createDispatchChange(w, w.source.kind === 'Room' ? 'agent_not_dispatched' : 'policy_holds'),
    );
  }
  return result;
}

function planOwned(
  w: WantedDispatch | undefined,
  rec: NonNullable<ReturnType<typeof recordOf>>,
  dispatchId: string,
  address: string,
  name: string,
  result: KindResult,
): void {
  if (!w) {
    const reason =
      rec.source === 'Room' ? 'agent_no_longer_declared' : 'policy_removed_or_room_not_selected';
    result.changes.push(deleteDispatchChange(address, name, rec, dispatchId, reason, false));
    return;
  }
  if (!w.holds) {
    if (!w.removeWhenUnmet) return;
    const reason = `policy_no_longer_holds: ${w.why}`;
    result.changes.push(deleteDispatchChange(address, name, rec, dispatchId, reason, true));
    return;
  }
  if (rec.metadata !== w.metadata) result.changes.push(replaceDispatchChange(w, rec, dispatchId));
}
