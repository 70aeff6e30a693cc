/**
 * What agent dispatch reads from LiveKit: the dispatches of the live rooms where a decision is
 * open (an agent wanted that this tool has not dispatched in this room session, or a create
 * awaiting its answer), and the participants of the rooms whose policy counts them. Rooms where
 * everything wanted was dispatched in this session are not listed: a converged resync of many
 * rooms costs no calls here.
 */
import pLimit from 'p-limit';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveAgentDispatch, LiveParticipant, LiveRoom } from '../../core/live.ts';
import type { LoadedRoom, LoadedSpec } from '../../spec/types.ts';
import { agentPoliciesOf } from './from-spec.ts';
import { AGENT_KIND, isAgentDispatchAddress } from './desired.ts';
import { needsCount, wantedDispatches, type AgentRoomSpec, type WantedDispatch } from './wanted.ts';

export const DISPATCH_LIST_CONCURRENCY = 16;

export interface AgentObservation {
  /** Dispatches of the rooms that were listed. */
  dispatches: Map<string, LiveAgentDispatch[]>;
  /** Participants of the rooms whose policy counts them. */
  participants: Map<string, LiveParticipant[]>;
  /**
   * What observe computed as wanted, when that cannot change before planning: no policy depends
   * on the time (a schedule) or on participants (a count). Planning the same specs reuses it.
   */
  wanted?: { specs: readonly LoadedSpec[]; map: Map<string, WantedDispatch> };
}

export function agentRoomsOf(specs: readonly LoadedSpec[]): AgentRoomSpec[] {
  return specs
    .filter((s): s is LoadedRoom => s.kind === 'Room')
    .map((r) => ({
      name: r.name,
      labels: r.labels,
      source: { file: r.source.file, line: r.source.line, col: r.source.col },
      ...(r.spec.agents !== undefined ? { agents: r.spec.agents } : {}),
    }));
}

function stateHasAgents(state: StateDocument | undefined): boolean {
  if (!state) return false;
  return (
    Object.values(state.owned).some((o) => o.kind === AGENT_KIND) ||
    Object.keys(state.pending).some(isAgentDispatchAddress)
  );
}

/** Undefined when there is nothing about agents to decide. */
export async function observeAgents(
  port: LiveKitPort,
  input: {
    specs: readonly LoadedSpec[] | undefined;
    state: StateDocument | undefined;
    liveRooms: readonly LiveRoom[];
    /** Participants another kind listed already. */
    listed: ReadonlyMap<string, LiveParticipant[]> | undefined;
    now: Date;
  },
): Promise<AgentObservation | undefined> {
  const specs = input.specs ?? [];
  const policies = agentPoliciesOf(specs);
  const rooms = agentRoomsOf(specs);
  const declaresAgents = rooms.some((r) => (r.agents ?? []).length > 0);
  if (policies.length === 0 && !declaresAgents && !stateHasAgents(input.state)) return undefined;

  const owned = input.state?.owned ?? {};
  const pending = input.state?.pending ?? {};
  const toList = new Set<string>();
  const toCount = new Set<string>();
  const byName = new Map(policies.map((p) => [p.name, p]));
  const wanted = wantedDispatches(
    { declaredRooms: rooms, policies, liveRooms: input.liveRooms },
    input.now,
  );
  for (const w of wanted.values()) {
    const roomSid = owned[w.address]?.match?.['roomSid'];
    const policy = w.source.kind === 'AgentPolicy' ? byName.get(w.source.name) : undefined;
    const counts = policy !== undefined && needsCount(policy);
    if (pending[w.address] || roomSid !== w.room.sid) {
      toList.add(w.room.name);
      if (counts) toCount.add(w.room.name);
    } else if (counts && policy.removeWhenUnmet) {
      toCount.add(w.room.name);
    }
  }
  const live = new Set(input.liveRooms.map((r) => r.name));
  for (const [address, p] of Object.entries(pending)) {
    const room = p.match['room'];
    if (isAgentDispatchAddress(address) && room !== undefined && live.has(room)) toList.add(room);
  }

  const limit = pLimit(DISPATCH_LIST_CONCURRENCY);
  const dispatches = new Map<string, LiveAgentDispatch[]>();
  const participants = new Map<string, LiveParticipant[]>();
  await Promise.all([
    ...[...toList].map((room) =>
      limit(async () => {
        const list = await tolerateClosed(() => port.listAgentDispatches(room));
        if (list) dispatches.set(room, list);
      }),
    ),
    ...[...toCount].map((room) =>
      limit(async () => {
        const known = input.listed?.get(room);
        const list = known ?? (await tolerateClosed(() => port.listParticipants(room)));
        if (list) participants.set(room, list);
      }),
    ),
  ]);
  const timeless = policies.every((p) => !needsCount(p) && p.when.schedule === undefined);
  return {
    dispatches,
    participants,
    ...(timeless && input.specs ? { wanted: { specs: input.specs, map: wanted } } : {}),
  };
}

/** A room that closed since ListRooms has nothing to list (the server answers unavailable). */
async function tolerateClosed<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof LiveKitError && (err.kind === 'not_found' || err.kind === 'unavailable')) {
      return undefined;
    }
    throw err;
  }
}
