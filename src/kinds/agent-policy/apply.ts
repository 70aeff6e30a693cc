/**
 * Executing agent dispatch changes. CreateDispatch is not idempotent and creates a room that does
 * not exist, so a create first checks that the planned room session is still live (a dispatch
 * must never bring back a room that closed), and is never retried: a lost answer is adopted
 * from ListDispatch by the next reconcile (the pending marker, see settle.ts).
 */
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { ResourceChange } from '../../core/plan.ts';
import type { StateEffect } from '../room/apply.ts';
import { AGENT_KIND, matchOf, type DispatchRecord } from './desired.ts';

function text(change: ResourceChange, key: string): string {
  const v = change.payload[key];
  return typeof v === 'string' ? v : '';
}

function recordFrom(change: ResourceChange, status: DispatchRecord['status']): DispatchRecord {
  return {
    room: text(change, 'room'),
    roomSid: text(change, 'roomSid'),
    agentName: text(change, 'agentName'),
    metadata: text(change, 'metadata'),
    source: text(change, 'source') === 'Room' ? 'Room' : 'AgentPolicy',
    status,
  };
}

async function create(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  const rec = recordFrom(change, 'dispatched');
  const [room] = await port.listRooms([rec.room]);
  if (room?.sid !== rec.roomSid) {
    return { note: `room ${rec.room} closed before its agent ${rec.agentName} was dispatched` };
  }
  const d = await port.createAgentDispatch({
    room: rec.room,
    agentName: rec.agentName,
    metadata: rec.metadata,
  });
  return {
    own: {
      address: change.address,
      kind: AGENT_KIND,
      name: change.name,
      serverId: d.id,
      since: now().toISOString(),
      match: matchOf(rec),
    },
  };
}

export async function executeAgentChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  switch (change.action) {
    case 'create':
      return create(change, port, now);
    case 'replace':
      await port.deleteAgentDispatch(text(change, 'room'), text(change, 'oldDispatchId'));
      return create(change, port, now);
    case 'delete': {
      await port.deleteAgentDispatch(text(change, 'room'), text(change, 'dispatchId'));
      if (change.payload['keepRecord'] !== true) return { disown: change.address };
      // Removed because its policy stopped holding: remembered, so not dispatched again this session.
      return {
        own: {
          address: change.address,
          kind: AGENT_KIND,
          name: change.name,
          since: now().toISOString(),
          match: matchOf(recordFrom(change, 'removed')),
        },
      };
    }
    default:
      throw new Error(`agent dispatch cannot ${change.action}`);
  }
}
