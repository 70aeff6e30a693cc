/**
 * Status documents as files: one YAML file per room plus `_daemon.yaml`, each written atomically
 * (temp file + rename). A file that fails to write is reported, not retried: the next change of
 * its room writes it again.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse, stringify } from 'yaml';
import { DAEMON_STATUS_FILE, type DaemonStatus } from './daemon-status.ts';
import { roomFromFileName, statusFileName, type RoomStatus } from './room-status.ts';
import type { LoadedStatuses, StatusChanges, StatusSink } from './status-sink.ts';

export function statusFilesSink(dirText: string, onError?: (err: unknown) => void): StatusSink {
  const dir = resolve(dirText);
  let madeDir = false;

  async function writeAll(jobs: Array<() => Promise<void>>): Promise<void> {
    if (jobs.length === 0) return;
    if (!madeDir) {
      await mkdir(dir, { recursive: true });
      madeDir = true;
    }
    // Bounded parallelism: thousands of rooms dirty at once must not open thousands of files.
    for (let i = 0; i < jobs.length; i += 32) {
      const results = await Promise.allSettled(jobs.slice(i, i + 32).map((j) => j()));
      for (const r of results) if (r.status === 'rejected') onError?.(r.reason);
    }
  }

  return {
    async load() {
      const out: LoadedStatuses = { rooms: [] };
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const file of names) {
        const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        try {
          if (file === DAEMON_STATUS_FILE) {
            out.daemon = (parse(text) as Partial<DaemonStatus> | null) ?? {};
            continue;
          }
          const room = roomFromFileName(file);
          const s = parse(text) as RoomStatus | null;
          if (room !== undefined && s?.kind === 'RoomStatus') out.rooms.push([room, s]);
        } catch (err) {
          onError?.(err);
        }
      }
      return out;
    },
    async write(c: StatusChanges) {
      const jobs: Array<() => Promise<void>> = [];
      for (const [room, s] of c.rooms) {
        const text = stringify(s);
        jobs.push(() => writeFileAtomic(join(dir, statusFileName(room)), text));
      }
      for (const room of c.removed) {
        jobs.push(() => unlink(join(dir, statusFileName(room))).catch(() => undefined));
      }
      if (c.daemon) {
        const text = stringify(c.daemon);
        jobs.push(() => writeFileAtomic(join(dir, DAEMON_STATUS_FILE), text));
      }
      await writeAll(jobs);
    },
    readAll: () => readStatusDir(dir),
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
