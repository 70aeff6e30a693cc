/**
 * Settles the room entries of the state inventory against what LiveKit shows now, before planning:
 * - a pending create/replace whose room exists (created at or after the attempt) becomes owned, with
 *   the room's sid, so a run killed between CreateRoom and the state write loses no ownership;
 * - a pending create/replace whose room does not exist is dropped (nothing was made; the plan
 *   creates it again if it should exist);
 * - an owned room that is gone from LiveKit and from the specs is dropped (rooms are ephemeral:
 *   nothing is left to own). Protections stay.
 * With a `scope` (the daemon reconciling some rooms from a partial observation), only the entries
 * of rooms in scope are touched.
 * Pure: returns a new document when something changed, the same one otherwise.
 */
import { draftState, type StateDocument } from '../../core/inventory.ts';
import type { LiveRoom } from '../../core/live.ts';
import { CREATION_SKEW_MS } from './apply.ts';
import { roomAddress } from './desired.ts';

const ROOM_PREFIX = 'room.';

export function settleRoomInventory(
  state: StateDocument,
  live: readonly LiveRoom[],
  declared: ReadonlySet<string>,
  scope?: ReadonlySet<string>,
): StateDocument {
  const inScope = (name: string): boolean => scope === undefined || scope.has(name);
  const byAddress = new Map(live.map((r) => [roomAddress(r.name), r]));
  const { edit, current } = draftState(state);

  for (const [address, op] of Object.entries(state.pending)) {
    if (!address.startsWith(ROOM_PREFIX) || !inScope(address.slice(ROOM_PREFIX.length))) continue;
    const room = byAddress.get(address);
    const doc = edit();
    delete doc.pending[address];
    const attemptedAt = Date.parse(op.startedAt);
    if (
      room &&
      !(room.creationTimeMs > 0 && room.creationTimeMs < attemptedAt - CREATION_SKEW_MS)
    ) {
      doc.owned[address] = {
        address,
        kind: 'Room',
        name: room.name,
        serverId: room.sid,
        since: op.startedAt,
      };
    }
  }
  for (const [address, obj] of Object.entries(state.owned)) {
    if (obj.kind !== 'Room' || !inScope(obj.name)) continue;
    if (byAddress.has(address) || declared.has(obj.name)) continue;
    delete edit().owned[address];
  }
  return current();
}
