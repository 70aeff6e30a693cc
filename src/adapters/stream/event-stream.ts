/**
 * LiveKit's webhook events in a Redis Stream, so that every replica can take them and the leader
 * folds each exactly once. A replica appends an event (after verifying its signature) in one
 * script that also de-duplicates by event id across replicas (a key per id, expiring after
 * `dedupTtlMs`) and refuses when the backlog of unfolded events reaches `maxBacklog`. The leader
 * reads through the consumer group `daemon` and acknowledges an entry only once its fold is
 * persisted (the status write carries the XACK, see redis-status.ts); a new leader first claims
 * what its predecessor read but never acknowledged. The stream is trimmed by length (`maxLen`,
 * kept above the backlog bound, so an unfolded entry is never trimmed by it) and by age.
 */
import type { ChainableCommander, Redis } from 'ioredis';

export interface EventStreamOptions {
  client: Redis;
  prefix: string;
  /** Unfolded (unread + unacknowledged) events past which appends are refused. */
  maxBacklog: number;
  /** Approximate length trim; raised to 2 × maxBacklog if lower. */
  maxLen?: number;
  /** Entries older than this are trimmed, folded or not (default 1 h). */
  maxAgeMs?: number;
  /** How long an event id stays known across replicas (default 1 h). */
  dedupTtlMs?: number;
}

export type AppendResult = 'appended' | 'duplicate' | 'full';

export interface StreamEntry {
  entryId: string;
  payload: string;
}

export interface StreamReader {
  /** Claims every entry left pending by any consumer (a dead leader's reads), oldest first. */
  claimPending(count: number): Promise<StreamEntry[]>;
  /** New entries; waits up to `blockMs` when there are none. */
  read(count: number, blockMs: number): Promise<StreamEntry[]>;
  close(): void;
}

export interface EventStream {
  readonly key: string;
  readonly group: string;
  append(eventId: string, payload: string): Promise<AppendResult>;
  /** Events appended but not yet acknowledged by the leader. */
  backlog(): Promise<number>;
  /** A reader on its own connection (reads block); `name` is this process's consumer name. */
  reader(name: string, connection: Redis): StreamReader;
  /** Adds the acknowledgement of `entryIds` to a transaction (the status write). */
  ackIn(tx: ChainableCommander, entryIds: readonly string[]): void;
}

export const DEFAULT_STREAM_MAX_BACKLOG = 10_000;
export const DEFAULT_STREAM_MAX_AGE_MS = 3_600_000;
export const DEFAULT_DEDUP_TTL_MS = 3_600_000;
const GROUP = 'daemon';

// KEYS: stream, dedup key. ARGV: payload, dedup ttl ms, maxLen, maxBacklog, min id, group.
// Returns 1 appended, 0 duplicate, -1 backlog full.
const APPEND = `
if redis.call('exists', KEYS[2]) == 1 then return 0 end
if redis.call('exists', KEYS[1]) == 0 then
  redis.call('xgroup', 'create', KEYS[1], ARGV[6], '0', 'MKSTREAM')
end
local backlog = 0
for _, g in ipairs(redis.call('xinfo', 'groups', KEYS[1])) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  if f['name'] == ARGV[6] then
    backlog = f['pending']
    if f['lag'] then backlog = backlog + f['lag'] end
  end
end
if backlog >= tonumber(ARGV[4]) then return -1 end
redis.call('set', KEYS[2], '1', 'PX', ARGV[2])
redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[1])
redis.call('xtrim', KEYS[1], 'MINID', '~', ARGV[5])
return 1`;

type RawEntry = [string, string[] | null];

function toEntries(raw: readonly RawEntry[] | null | undefined): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const [entryId, fields] of raw ?? []) {
    // A claimed entry trimmed meanwhile comes back without fields: nothing to fold.
    if (!fields) continue;
    const i = fields.indexOf('e');
    out.push({ entryId, payload: i >= 0 ? (fields[i + 1] ?? '') : '' });
  }
  return out;
}

export function createEventStream(o: EventStreamOptions): EventStream {
  const key = `${o.prefix}webhooks`;
  const maxLen = Math.max(o.maxLen ?? 0, 2 * o.maxBacklog);
  const maxAge = o.maxAgeMs ?? DEFAULT_STREAM_MAX_AGE_MS;
  const dedupTtl = o.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS;
  const { client } = o;

  /** The group exists before anyone reads (a leader may start before the first append). */
  async function ensureGroup(c: Redis): Promise<void> {
    await c.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch((err: unknown) => {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    });
  }

  return {
    key,
    group: GROUP,
    async append(eventId, payload) {
      const minId = `${Math.max(0, Date.now() - maxAge)}-0`;
      const r = await client.eval(
        APPEND,
        2,
        key,
        `${o.prefix}webhook-id:${eventId}`,
        payload,
        String(dedupTtl),
        String(maxLen),
        String(o.maxBacklog),
        minId,
        GROUP,
      );
      return r === 1 ? 'appended' : r === 0 ? 'duplicate' : 'full';
    },
    async backlog() {
      const groups = (await client.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
      for (const g of groups) {
        const f = new Map<unknown, unknown>();
        for (let i = 0; i < g.length; i += 2) f.set(g[i], g[i + 1]);
        if (f.get('name') === GROUP)
          return Number(f.get('pending') ?? 0) + Number(f.get('lag') ?? 0);
      }
      return 0;
    },
    reader(name, c) {
      let ready: Promise<void> | undefined;
      const group = (): Promise<void> =>
        (ready ??= ensureGroup(c).catch((err: unknown) => {
          ready = undefined;
          throw err;
        }));
      return {
        async claimPending(count) {
          await group();
          const out: StreamEntry[] = [];
          let cursor = '0-0';
          // Bounded: each page moves the cursor forward; 0-0 means the whole PEL was scanned.
          for (let page = 0; page < 1000; page++) {
            const r = (await c.xautoclaim(key, GROUP, name, 0, cursor, 'COUNT', count)) as [
              string,
              RawEntry[],
            ];
            out.push(...toEntries(r[1]));
            cursor = r[0];
            if (cursor === '0-0') break;
          }
          return out;
        },
        async read(count, blockMs) {
          await group();
          const r = (await c
            .xreadgroup('GROUP', GROUP, name, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', key, '>')
            .catch((err: unknown) => {
              // The stream is gone (Redis restarted empty): create the group again next time.
              if (err instanceof Error && err.message.includes('NOGROUP')) ready = undefined;
              throw err;
            })) as Array<[string, RawEntry[]]> | null;
          return toEntries(r?.[0]?.[1]);
        },
        close() {
          c.disconnect();
        },
      };
    },
    ackIn(tx, entryIds) {
      if (entryIds.length > 0) tx.xack(key, GROUP, ...entryIds);
    },
  };
}
