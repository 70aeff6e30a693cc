/**
 * Where status documents persist: a directory of YAML files (the file backend, and the export of
 * the Redis backend's statuses), or Redis. The store (status-store.ts) keeps them in memory and
 * hands each flush's changes to its sink.
 */
import type { DaemonStatus } from './daemon-status.ts';
import type { RoomStatus } from './room-status.ts';

export interface StatusChanges {
  rooms: Array<[string, RoomStatus]>;
  removed: string[];
  daemon?: DaemonStatus;
}

export interface LoadedStatuses {
  rooms: Array<[string, RoomStatus]>;
  daemon?: Partial<DaemonStatus>;
}

export interface StatusSink {
  /** What a previous run left. */
  load(): Promise<LoadedStatuses>;
  /**
   * Persists one flush. A sink that throws has written nothing of it (all or nothing): the store
   * keeps the changes dirty and hands them over again at the next flush.
   */
  write(changes: StatusChanges): Promise<void>;
  /** Everything persisted, for `livekit-gitops status`. */
  readAll(): Promise<{ rooms: RoomStatus[]; daemon: DaemonStatus | undefined }>;
}

/** Writes to `primary`, then copies each change to `mirrors` (a mirror's failure is reported). */
export function mirroredSink(
  primary: StatusSink,
  mirrors: readonly StatusSink[],
  onError: (err: unknown) => void,
): StatusSink {
  return {
    load: () => primary.load(),
    readAll: () => primary.readAll(),
    async write(changes) {
      await primary.write(changes);
      for (const m of mirrors) await m.write(changes).catch(onError);
    },
  };
}
