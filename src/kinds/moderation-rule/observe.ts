/**
 * Lists the participants of the rooms moderation rules select, a bounded number of calls at a
 * time. A room that closed between ListRooms and ListParticipants has nobody to moderate.
 */
import pLimit from 'p-limit';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { LiveParticipant } from '../../core/live.ts';

export const PARTICIPANT_LIST_CONCURRENCY = 8;

export async function observeParticipants(
  port: LiveKitPort,
  rooms: readonly string[],
  concurrency = PARTICIPANT_LIST_CONCURRENCY,
): Promise<Map<string, LiveParticipant[]>> {
  const limit = pLimit(concurrency);
  const lists = await Promise.all(
    rooms.map((room) =>
      limit(async (): Promise<[string, LiveParticipant[]]> => {
        try {
          return [room, await port.listParticipants(room)];
        } catch (err) {
          if (err instanceof LiveKitError && err.kind === 'not_found') return [room, []];
          throw err;
        }
      }),
    ),
  );
  return new Map(lists);
}
