/**
 * Settling agent dispatch bookkeeping against what was listed. Pure.
 *
 * - A record whose room session ended (room gone, or back with another sid) is dropped: its
 *   dispatch ended with the room.
 * - A pending create (written before CreateDispatch, which is not idempotent) is resolved from
 *   ListDispatch: a dispatch in that room session with the same agent name and metadata, made
 *   after the marker and owned by no other address, is adopted; none after a grace period means
 *   the call never reached the server, and the marker is dropped.
 * - Agents the tool sent with CreateRoom (a room it owns, dispatches made with the room) are
 *   adopted, so they are replaced or deleted like the ones it dispatched itself.
 */
import { draftState, type StateDocument } from '../../core/inventory.ts';
import type { LiveAgentDispatch, LiveRoom } from '../../core/live.ts';
import {
  AGENT_KIND,
  isAgentDispatchAddress,
  matchOf,
  recordOf,
  type DispatchRecord,
} from './desired.ts';
import type { WantedDispatch } from './wanted.ts';

/** Clock skew allowed between this machine and the server when matching creation times. */
export const DISPATCH_SKEW_MS = 5_000;
/** A pending create with nothing listed after this long never reached the server. */
export const PENDING_GRACE_MS = 30_000;

export type AgentEvent =
  | { type: 'adopted'; address: string; room: string; agentName: string; dispatchId: string }
  | { type: 'lost'; address: string; room: string; agentName: string }
  | { type: 'ended'; address: string; room: string; agentName: string };

export interface AgentSettleInput {
  state: StateDocument;
  liveRooms: readonly LiveRoom[];
  /** Dispatches of the rooms that were listed. */
  dispatches: ReadonlyMap<string, readonly LiveAgentDispatch[]>;
  wanted: ReadonlyMap<string, WantedDispatch>;
  now: Date;
  scope?: ReadonlySet<string> | undefined;
}

function ownedIds(state: StateDocument): Set<string> {
  const ids = new Set<string>();
  for (const o of Object.values(state.owned)) {
    if (o.kind === AGENT_KIND && o.serverId) ids.add(o.serverId);
  }
  return ids;
}

export function settleAgentDispatches(input: AgentSettleInput): {
  state: StateDocument;
  events: AgentEvent[];
} {
  const draft = draftState(input.state);
  const events: AgentEvent[] = [];
  const live = new Map(input.liveRooms.map((r) => [r.name, r]));
  const inScope = (room: string): boolean => input.scope === undefined || input.scope.has(room);
  const now = input.now.getTime();

  for (const address in input.state.owned) {
    const o = input.state.owned[address];
    if (o?.kind !== AGENT_KIND) continue;
    const room = o.match?.['room'];
    if (room === undefined || !inScope(room)) continue;
    if (live.get(room)?.sid === o.match?.['roomSid']) continue;
    const rec = recordOf(o.match);
    if (rec === undefined) continue;
    delete draft.edit().owned[address];
    events.push({ type: 'ended', address, room: rec.room, agentName: rec.agentName });
  }

  // The dispatch ids owned already, built only when something may be adopted.
  let takenIds: Set<string> | undefined;
  const taken = (): Set<string> => (takenIds ??= ownedIds(draft.current()));
  for (const address in input.state.pending) {
    const p = input.state.pending[address];
    if (p === undefined || !isAgentDispatchAddress(address)) continue;
    const rec = recordOf(p.match);
    if (rec === undefined || !inScope(rec.room)) continue;
    const room = live.get(rec.room);
    const listed = input.dispatches.get(rec.room);
    const since = Date.parse(p.startedAt) - DISPATCH_SKEW_MS;
    const hit =
      room?.sid === rec.roomSid
        ? listed?.find(
            (d) =>
              d.agentName === rec.agentName &&
              d.metadata === rec.metadata &&
              d.createdAtMs >= since &&
              !taken().has(d.id),
          )
        : undefined;
    if (hit) {
      adopt(draft.edit(), address, p.match['name'] ?? rec.room, rec, hit, p.startedAt);
      taken().add(hit.id);
      events.push({
        type: 'adopted',
        address,
        room: rec.room,
        agentName: rec.agentName,
        dispatchId: hit.id,
      });
      continue;
    }
    const gone = room?.sid !== rec.roomSid;
    if (gone || (listed !== undefined && now - Date.parse(p.startedAt) > PENDING_GRACE_MS)) {
      delete draft.edit().pending[address];
      events.push({ type: 'lost', address, room: rec.room, agentName: rec.agentName });
    }
  }

  for (const w of input.wanted.values()) {
    if (w.source.kind !== 'Room') continue;
    // Only listed rooms can adopt (a converged room is not listed): checked first, it is cheap.
    const listed = input.dispatches.get(w.room.name);
    if (listed === undefined || !inScope(w.room.name)) continue;
    const doc = draft.current();
    if (doc.owned[w.address] || doc.pending[w.address]) continue;
    if (doc.owned[`room.${w.room.name}`]?.serverId !== w.room.sid) continue;
    const hit = listed.find(
      (d) =>
        d.agentName === w.agentName &&
        d.metadata === w.metadata &&
        Math.abs(d.createdAtMs - w.room.creationTimeMs) <= DISPATCH_SKEW_MS &&
        !taken().has(d.id),
    );
    if (!hit) continue;
    const rec: DispatchRecord = {
      room: w.room.name,
      roomSid: w.room.sid,
      agentName: w.agentName,
      metadata: w.metadata,
      source: 'Room',
      status: 'dispatched',
    };
    adopt(
      draft.edit(),
      w.address,
      w.source.name,
      rec,
      hit,
      new Date(hit.createdAtMs).toISOString(),
    );
    taken().add(hit.id);
    events.push({
      type: 'adopted',
      address: w.address,
      room: w.room.name,
      agentName: w.agentName,
      dispatchId: hit.id,
    });
  }
  return { state: draft.current(), events };
}

function adopt(
  doc: StateDocument,
  address: string,
  name: string,
  rec: DispatchRecord,
  d: LiveAgentDispatch,
  since: string,
): void {
  doc.owned[address] = {
    address,
    kind: AGENT_KIND,
    name,
    serverId: d.id,
    since,
    match: matchOf({ ...rec, status: 'dispatched' }),
  };
  delete doc.pending[address];
}
