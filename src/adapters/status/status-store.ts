/**
 * Status documents: one per room plus the daemon's own. Changes are made in memory and marked
 * dirty; a flush every `flushMs` hands each dirty document once to the sink (files by default,
 * status-files.ts; Redis with the Redis backend, redis-status.ts), so a burst of a thousand
 * webhook events becomes a handful of writes.
 */
import { resolve } from 'node:path';
import { emptyRoomStatus, type RoomStatus } from './room-status.ts';
import { emptyDaemonStatus, type DaemonStatus } from './daemon-status.ts';
import { readStatusDir, statusFilesSink } from './status-files.ts';
import type { StatusChanges, StatusSink } from './status-sink.ts';

export { readStatusDir };

export interface StatusStoreOptions {
  dir: string;
  /** Coalescing period; default 250 ms. */
  flushMs?: number;
  now: () => string;
  onError?: (error: unknown) => void;
  /** Where the documents persist; default: YAML files in `dir`. */
  sink?: StatusSink;
  /** Runs before each flush: the place to copy cheap-to-change, costly-to-copy data in. */
  beforeFlush?: () => void;
}

export interface StatusStore {
  readonly dir: string;
  /** Reads the files a previous run left (events, conditions, seen ids survive a restart). */
  load(): Promise<void>;
  rooms(): string[];
  peek(room: string): RoomStatus | undefined;
  /** Changes a room's status (created on first use) and marks it dirty. */
  update(room: string, fn: (s: RoomStatus) => void): void;
  remove(room: string): void;
  daemon(): DaemonStatus;
  updateDaemon(fn: (s: DaemonStatus) => void): void;
  flush(): Promise<void>;
  /** Starts the periodic flush. */
  start(): void;
  /** Stops the periodic flush and writes what is dirty. */
  close(): Promise<void>;
  /** Files written so far (for benchmarks and tests of coalescing). */
  writes(): number;
}

const DAEMON_KEY = '\u0000daemon';

export function createStatusStore(opts: StatusStoreOptions): StatusStore {
  const dir = resolve(opts.dir);
  const sink = opts.sink ?? statusFilesSink(dir, opts.onError);
  const rooms = new Map<string, RoomStatus>();
  const removed = new Set<string>();
  const dirty = new Set<string>();
  const daemon = emptyDaemonStatus(process.pid, opts.now());
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let written = 0;

  async function flushNow(): Promise<void> {
    opts.beforeFlush?.();
    if (dirty.size === 0) return;
    const keys = [...dirty];
    dirty.clear();
    const changes: StatusChanges = { rooms: [], removed: [] };
    for (const key of keys) {
      if (key === DAEMON_KEY) changes.daemon = daemon;
      else if (removed.has(key)) changes.removed.push(key);
      else {
        const s = rooms.get(key);
        if (s) changes.rooms.push([key, s]);
      }
    }
    try {
      await sink.write(changes);
    } catch (err) {
      // Nothing of this flush persisted: the next one hands the same documents over again.
      for (const key of keys) dirty.add(key);
      opts.onError?.(err);
      return;
    }
    for (const room of changes.removed) if (!dirty.has(room)) removed.delete(room);
    written += changes.rooms.length + changes.removed.length + (changes.daemon ? 1 : 0);
  }

  function flush(): Promise<void> {
    flushing = flushing.then(flushNow, flushNow);
    return flushing;
  }

  return {
    dir,
    async load() {
      const loaded = await sink.load();
      if (Array.isArray(loaded.daemon?.seenEventIds)) daemon.seenEventIds = loaded.daemon.seenEventIds;
      // So a state lost while no daemon ran is noticed too: its lineage is a new one.
      if (typeof loaded.daemon?.stateLineage === 'string') {
        daemon.stateLineage = loaded.daemon.stateLineage;
      }
      for (const [room, s] of loaded.rooms) rooms.set(room, s);
    },
    rooms: () => [...rooms.keys()],
    peek: (room) => rooms.get(room),
    update(room, fn) {
      let s = rooms.get(room);
      const created = s === undefined || removed.has(room);
      if (!s) {
        s = emptyRoomStatus(room, opts.now());
        rooms.set(room, s);
      }
      removed.delete(room);
      const stamp = s.updatedAt;
      const before = JSON.stringify(s);
      fn(s);
      s.updatedAt = stamp;
      // Unchanged statuses are not rewritten: a resync of 5,000 quiet rooms writes nothing.
      if (!created && JSON.stringify(s) === before) return;
      s.updatedAt = opts.now();
      dirty.add(room);
    },
    remove(room) {
      if (!rooms.delete(room)) return;
      removed.add(room);
      dirty.add(room);
    },
    daemon: () => daemon,
    updateDaemon(fn) {
      fn(daemon);
      daemon.updatedAt = opts.now();
      dirty.add(DAEMON_KEY);
    },
    flush,
    start() {
      if (timer) return;
      timer = setInterval(() => void flush(), opts.flushMs ?? 250);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
    writes: () => written,
  };
}
