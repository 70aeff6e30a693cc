/**
 * Carries out one room change against LiveKit and says what it means for the state inventory.
 * The executor runs these with bounded concurrency; the adapter already retries the calls that are
 * safe to repeat (every room call is: CreateRoom on an existing room returns it unchanged).
 */
import type { OwnedObject } from '../../core/inventory.ts';
import type { LiveRoom } from '../../core/live.ts';
import type { ResourceChange } from '../../core/plan.ts';
import type { CreateRoomInput, LiveKitPort } from '../../adapters/livekit/port.ts';

/** What a finished change does to the state document. */
export interface StateEffect {
  own?: OwnedObject;
  disown?: string;
  /** A human note for the apply log (e.g. a room a client created first, left unowned). */
  note?: string;
}

/**
 * Clock skew allowed between this machine and the server when deciding whether a room returned by
 * CreateRoom was made by this call or existed before it.
 */
export const CREATION_SKEW_MS = 5_000;

export async function executeRoomChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  const name = change.name;
  switch (change.action) {
    case 'create':
      return createOwned(change, port, now);
    case 'replace':
      await port.deleteRoom(name);
      return createOwned(change, port, now);
    case 'update': {
      const metadata = change.payload['metadata'];
      const room = await port.updateRoomMetadata(
        name,
        typeof metadata === 'string' ? metadata : '',
      );
      return { own: owned(change, room, now()) };
    }
    case 'delete':
      await port.deleteRoom(name);
      return { disown: change.address };
    default:
      throw new Error(`a Room change cannot be "${change.action}"`);
  }
}

async function createOwned(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  const startedAt = now().getTime();
  const room = await port.createRoom(change.payload as unknown as CreateRoomInput);
  // CreateRoom on a room that already exists returns it unchanged: if a client created it between
  // plan and apply, it is theirs, and the tool must not claim it.
  if (room.creationTimeMs > 0 && room.creationTimeMs < startedAt - CREATION_SKEW_MS) {
    return {
      disown: change.address,
      note: `room "${room.name}" already existed (created outside livekit-gitops); left unowned`,
    };
  }
  return { own: owned(change, room, now()) };
}

function owned(change: ResourceChange, room: LiveRoom, at: Date): OwnedObject {
  return {
    address: change.address,
    kind: 'Room',
    name: room.name,
    serverId: room.sid,
    since: at.toISOString(),
  };
}
