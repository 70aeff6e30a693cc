/**
 * Forgets `enforce: onJoin` bookkeeping for sessions that are over: the room is gone, or the
 * participant is no longer in it with that session. Only rooms the observation covers are
 * touched (the daemon observes a scope). Pure: the same document when nothing changed.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveParticipant } from '../../core/live.ts';

export function settleModeration(
  state: StateDocument,
  liveRooms: ReadonlySet<string>,
  participants: ReadonlyMap<string, readonly LiveParticipant[]>,
  scope?: ReadonlySet<string>,
): StateDocument {
  const moderated = state.moderated;
  if (moderated === undefined) return state;
  let next: StateDocument['moderated'];
  for (const [address, session] of Object.entries(moderated)) {
    if (scope !== undefined && !scope.has(session.room)) continue;
    const listed = participants.get(session.room);
    // A live room whose participants were not listed tells nothing about the session.
    if (listed === undefined && liveRooms.has(session.room)) continue;
    if (listed?.some((p) => p.sid === session.sid)) continue;
    next ??= { ...moderated };
    delete next[address];
  }
  return next === undefined ? state : { ...state, moderated: next };
}
