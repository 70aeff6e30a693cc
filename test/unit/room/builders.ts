import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import type { LiveRoom } from '../../../src/core/live.ts';
import type { DesiredRoom } from '../../../src/kinds/room/desired.ts';

export function aRoom(overrides: Partial<DesiredRoom> & { name: string }): DesiredRoom {
  return {
    labels: {},
    lifecycle: { preventDestroy: false, onOccupied: 'wait' },
    source: { file: 'rooms/rooms.yaml', line: 1, col: 1 },
    specHash: 'spec',
    ...overrides,
  };
}

export function aLiveRoom(overrides: Partial<LiveRoom> & { name: string }): LiveRoom {
  return {
    sid: `RM_${overrides.name}`,
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 0,
    metadata: '',
    numParticipants: 0,
    numPublishers: 0,
    activeRecording: false,
    creationTimeMs: 1_700_000_000_000,
    ...overrides,
  };
}

/** A state that owns the given live rooms (by sid). */
export function stateOwning(
  rooms: readonly LiveRoom[],
  protectedNames: string[] = [],
): StateDocument {
  const state = emptyState('lineage-1');
  for (const room of rooms) {
    state.owned[`room.${room.name}`] = {
      address: `room.${room.name}`,
      kind: 'Room',
      name: room.name,
      serverId: room.sid,
      since: '2026-01-01T00:00:00.000Z',
    };
  }
  for (const name of protectedNames) {
    state.protections[`room.${name}`] = {
      address: `room.${name}`,
      reason: 'preventDestroy',
      since: '2026-01-01T00:00:00.000Z',
    };
  }
  return state;
}
