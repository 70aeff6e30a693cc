/**
 * Status documents in Redis (with the Redis state backend), so that `livekit-gitops status` on any
 * machine and every replica read the same: one hash `<prefix>status`, a field `room:<name>` per
 * room and `daemon`, each JSON. Each flush is one MULTI transaction, which also carries whatever `alsoCommit` adds
 * (the acknowledgement of the webhook entries folded into it): a fold is persisted and its entry
 * acknowledged together, or neither.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { DaemonStatus } from './daemon-status.ts';
import type { RoomStatus } from './room-status.ts';
import type { LoadedStatuses, StatusSink } from './status-sink.ts';

export interface RedisStatusOptions {
  client: Redis;
  prefix: string;
  /**
   * Called while the transaction is built; returns what to do once it committed or failed
   * (e.g. hand unacknowledged entries back).
   */
  alsoCommit?: (tx: ChainableCommander) => ((ok: boolean) => void) | undefined;
  /** False: this process may not write (it no longer leads); the flush fails and is retried. */
  mayWrite?: () => boolean;
}

const DAEMON_FIELD = 'daemon';
const ROOM = 'room:';

export function redisStatusKey(prefix: string): string {
  return `${prefix}status`;
}

function parseAll(all: Record<string, string>): LoadedStatuses & { daemon?: DaemonStatus } {
  const out: LoadedStatuses & { daemon?: DaemonStatus } = { rooms: [] };
  for (const [field, text] of Object.entries(all)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      continue;
    }
    if (field === DAEMON_FIELD) out.daemon = doc as DaemonStatus;
    else if (field.startsWith(ROOM) && (doc as RoomStatus | null)?.kind === 'RoomStatus') out.rooms.push([field.slice(ROOM.length), doc as RoomStatus]);
  }
  return out;
}

export function redisStatusSink(o: RedisStatusOptions): StatusSink {
  const key = redisStatusKey(o.prefix);
  return {
    async load() {
      return parseAll(await o.client.hgetall(key));
    },
    async write(c) {
      if (o.mayWrite && !o.mayWrite()) throw new Error('not leading: status not written');
      const tx = o.client.multi();
      const fields: string[] = [];
      for (const [room, s] of c.rooms) fields.push(ROOM + room, JSON.stringify(s));
      if (c.daemon) fields.push(DAEMON_FIELD, JSON.stringify(c.daemon));
      if (fields.length > 0) tx.hset(key, ...fields);
      if (c.removed.length > 0) tx.hdel(key, ...c.removed.map((r) => ROOM + r));
      const after = o.alsoCommit?.(tx);
      try {
        const results = await tx.exec();
        const failed = results?.find(([err]) => err !== null)?.[0];
        if (!results || failed) throw failed ?? new Error('status transaction aborted');
      } catch (err) {
        after?.(false);
        throw err;
      }
      after?.(true);
    },
    async readAll() {
      const loaded = parseAll(await o.client.hgetall(key));
      const rooms = loaded.rooms.map(([, s]) => s).sort((a, b) => a.room.localeCompare(b.room));
      return { rooms, daemon: loaded.daemon };
    },
  };
}
