/**
 * Re-homes declared rooms whose LiveKit node died. A multi-node LiveKit (nodes sharing one Redis)
 * keeps listing the rooms of a node that was killed: their records stay in Redis, no
 * `room_finished` fires, and calls that must reach the room's node (DeleteRoom,
 * UpdateRoomMetadata) fail with `unavailable` after 3 s. CreateRoom with the name alone is the
 * call that moves such a room: the server sees its node is gone (no stats for 5 s), places the room
 * on a live node and starts it there with the stored settings; for a room on a live node it changes
 * nothing. So a full resync with `--reassert-rooms` sends it for every declared room that LiveKit
 * lists, before planning.
 */
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { LiveRoom } from '../core/live.ts';
import { scrubText } from '../core/redact.ts';

export interface ReassertFailure {
  room: string;
  error: unknown;
}

/** CreateRoom (name only) for each room, `concurrency` at a time; the failures, not thrown. */
export async function reassertRooms(
  port: LiveKitPort,
  rooms: readonly string[],
  concurrency: number,
): Promise<ReassertFailure[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const failures: ReassertFailure[] = [];
  await Promise.all(
    rooms.map((room) =>
      limit(async () => {
        try {
          await port.createRoom({ name: room });
        } catch (error) {
          failures.push({ room, error });
        }
      }),
    ),
  );
  return failures;
}

/**
 * Reasserts the declared rooms among those LiveKit lists (a room it does not list is the plan's
 * to create); logs each failure and returns how many failed, so the resync is retried.
 */
export async function reassertDeclaredRooms(
  i: {
    port: LiveKitPort;
    log: Logger;
    concurrency: number;
    secretValues: () => readonly string[];
  },
  listed: readonly LiveRoom[],
  declared: ReadonlySet<string>,
): Promise<number> {
  const rooms = listed.filter((r) => declared.has(r.name)).map((r) => r.name);
  const failures = await reassertRooms(i.port, rooms, i.concurrency);
  for (const f of failures) {
    const message = f.error instanceof Error ? f.error.message : String(f.error);
    i.log.warn({ room: f.room, error: scrubText(message, i.secretValues()) }, 'reassert failed');
  }
  return failures.length;
}
