/**
 * Status files on disk: one YAML file per room plus `_daemon.yaml`. Changes are made in memory
 * and marked dirty; a flush every `flushMs` writes each dirty file once (atomically: temp file +
 * rename), so a burst of a thousand webhook events becomes a handful of writes.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse, stringify } from 'yaml';
import {
  emptyRoomStatus,
  roomFromFileName,
  statusFileName,
  type RoomStatus,
} from './room-status.ts';
import { DAEMON_STATUS_FILE, emptyDaemonStatus, type DaemonStatus } from './daemon-status.ts';

export interface StatusStoreOptions {
  dir: string;
  /** Coalescing period; default 250 ms. */
  flushMs?: number;
  now: () => string;
  onError?: (error: unknown) => void;
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
  const rooms = new Map<string, RoomStatus>();
  const removed = new Set<string>();
  const dirty = new Set<string>();
  const daemon = emptyDaemonStatus(process.pid, opts.now());
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let written = 0;
  let madeDir = false;

  async function ensureDir(): Promise<void> {
    if (madeDir) return;
    await mkdir(dir, { recursive: true });
    madeDir = true;
  }

  async function writeOne(key: string): Promise<void> {
    if (key === DAEMON_KEY) {
      await writeFileAtomic(join(dir, DAEMON_STATUS_FILE), stringify(daemon));
    } else if (removed.has(key)) {
      removed.delete(key);
      await unlink(join(dir, statusFileName(key))).catch(() => undefined);
    } else {
      const s = rooms.get(key);
      if (s) await writeFileAtomic(join(dir, statusFileName(key)), stringify(s));
    }
    written++;
  }

  async function flushNow(): Promise<void> {
    opts.beforeFlush?.();
    if (dirty.size === 0) return;
    await ensureDir();
    const keys = [...dirty];
    dirty.clear();
    // Bounded parallelism: thousands of rooms dirty at once must not open thousands of files.
    for (let i = 0; i < keys.length; i += 32) {
      const batch = keys.slice(i, i + 32);
      const results = await Promise.allSettled(batch.map(writeOne));
      for (const r of results) if (r.status === 'rejected') opts.onError?.(r.reason);
    }
  }

  function flush(): Promise<void> {
    flushing = flushing.then(flushNow, flushNow);
    return flushing;
  }

  return {
    dir,
    async load() {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const file of names) {
        const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        try {
          if (file === DAEMON_STATUS_FILE) {
            const prev = parse(text) as Partial<DaemonStatus> | null;
            if (Array.isArray(prev?.seenEventIds)) daemon.seenEventIds = prev.seenEventIds;
            continue;
          }
          const room = roomFromFileName(file);
          const s = parse(text) as RoomStatus | null;
          if (room !== undefined && s?.kind === 'RoomStatus') rooms.set(room, s);
        } catch (err) {
          opts.onError?.(err);
        }
      }
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

/** Everything in a status directory, for `livekit-gitops status`. */
export async function readStatusDir(
  dir: string,
): Promise<{ rooms: RoomStatus[]; daemon: DaemonStatus | undefined }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const rooms: RoomStatus[] = [];
  let daemon: DaemonStatus | undefined;
  for (const file of names.sort()) {
    if (!file.endsWith('.yaml')) continue;
    const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = parse(text);
    } catch {
      continue;
    }
    if (file === DAEMON_STATUS_FILE) daemon = doc as DaemonStatus;
    else if ((doc as RoomStatus | null)?.kind === 'RoomStatus') rooms.push(doc as RoomStatus);
  }
  return { rooms, daemon };
}
