/** The plan's agent dispatch changes: create, delete and replace (`-/+`, a metadata change). */
import type { JsonValue, ResourceChange } from '../../core/plan.ts';
import { AGENT_KIND, type DispatchRecord } from './desired.ts';
import type { WantedDispatch } from './wanted.ts';

type Json = { [key: string]: JsonValue };

function shown(room: string, agentName: string, metadata: string, source: string): Json {
  return { room, agentName, metadata, source };
}

function sourceLabel(w: WantedDispatch): string {
  return w.source.kind === 'Room' ? `Room ${w.source.name}` : `AgentPolicy ${w.source.name}`;
}

function target(w: WantedDispatch): Json {
  return {
    room: w.room.name,
    roomSid: w.room.sid,
    agentName: w.agentName,
    metadata: w.metadata,
    source: w.source.kind,
    sourceName: w.source.name,
  };
}

export function createDispatchChange(w: WantedDispatch, reason: string): ResourceChange {
  const change: ResourceChange = {
    address: w.address,
    kind: AGENT_KIND,
    name: w.source.name,
    action: 'create',
    actionReason: reason,
    before: null,
    after: shown(w.room.name, w.agentName, w.metadata, sourceLabel(w)),
    changedFields: [],
    sensitivePaths: [],
    payload: target(w),
  };
  if (w.location) change.source = w.location;
  return change;
}

export function replaceDispatchChange(
  w: WantedDispatch,
  rec: DispatchRecord,
  dispatchId: string,
): ResourceChange {
  const change = createDispatchChange(w, 'replace_because_metadata_changed');
  change.action = 'replace';
  change.before = { ...shown(rec.room, rec.agentName, rec.metadata, sourceLabel(w)), dispatchId };
  change.changedFields = ['metadata'];
  change.payload = { ...change.payload, oldDispatchId: dispatchId };
  return change;
}

export function deleteDispatchChange(
  address: string,
  name: string,
  rec: DispatchRecord,
  dispatchId: string,
  reason: string,
  keepRecord: boolean,
): ResourceChange {
  return {
    address,
    kind: AGENT_KIND,
    name,
    action: 'delete',
    actionReason: reason,
    before: { room: rec.room, agentName: rec.agentName, metadata: rec.metadata, dispatchId },
    after: null,
    changedFields: [],
    sensitivePaths: [],
    payload: {
      room: rec.room,
      roomSid: rec.roomSid,
      agentName: rec.agentName,
      metadata: rec.metadata,
      source: rec.source,
      dispatchId,
      keepRecord,
    },
  };
}
