/**
 * The sources that turn spec changes and time into work: the spec watcher (changed rooms, or a
 * full resync when non-room specs changed), schedule edges and the jittered interval resync.
 * Each reload's errors go to the log, the metrics and the daemon status.
 */
import type { Logger } from 'pino';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import { watchSpecs, type SpecWatcher } from '../adapters/watch/spec-watcher.ts';
import { FULL_RESYNC_KEY, roomKey } from './reconciler.ts';
import type { ScheduleTimers } from './schedule-timers.ts';
import type { Notify } from '../adapters/notify/events.ts';
import {
  changedRooms,
  nonRoomSpecsChanged,
  type SpecSnapshot,
  type SpecStore,
} from './spec-store.ts';

export interface SpecSourcesOptions {
  /** Spec errors appearing or clearing go to the notification sinks. */
  notify?: Notify;
  specPaths: readonly string[];
  cwd: string;
  debounceMs?: number;
  intervalMs: number;
  /** Watch the spec files (off when a git source switches the specs itself). */
  watch?: boolean;
  specs: SpecStore;
  timers: ScheduleTimers;
  status: StatusStore;
  metrics: DaemonMetrics;
  log: Logger;
  enqueue: (key: string) => void;
}

export interface SpecSources {
  /** Puts a snapshot's errors in the log, the metrics and the daemon status. */
  report(snap: SpecSnapshot): void;
  /** Reloads the specs and enqueues what changed (as a file change does). */
  reload(): Promise<void>;
  /** Watches the specs, catches up on changes since the first load, then arms the interval. */
  start(stopping: () => boolean): Promise<void>;
  close(): Promise<void>;
}

export function createSpecSources(o: SpecSourcesOptions): SpecSources {
  const { specs, timers, status, metrics, log, enqueue } = o;
  let watcher: SpecWatcher | undefined;
  let intervalTimer: NodeJS.Timeout | undefined;
  let closed = false;

  let reported = 0;
  function report(snap: SpecSnapshot): void {
    metrics.specErrors.set(snap.errors.length);
    const errors = snap.errors.map((e) => ({
      file: e.file,
      line: e.line,
      col: e.col,
      code: e.code,
      message: e.message,
    }));
    // A reload with the same errors repeats an event the notifier de-duplicates.
    if (errors.length > 0 || reported > 0) {
      const change = errors.length > 0 ? 'appeared' : 'cleared';
      o.notify?.({ type: 'specErrors', change, count: errors.length, errors });
    }
    reported = errors.length;
    status.updateDaemon((d) => {
      d.specHash = snap.specHash;
      d.specErrors = errors;
    });
    for (const e of snap.errors) {
      log.error(
        { file: e.file, line: e.line, col: e.col, code: e.code },
        `spec error: ${e.message}`,
      );
    }
  }

  /** The snapshot whose changes were last enqueued: each snapshot put in force is diffed once. */
  let basis: SpecSnapshot | undefined;
  async function onSpecChange(changed: string[]): Promise<void> {
    basis ??= specs.current();
    // Reloads overlap freely; the store keeps only the latest started (spec-store.ts).
    await specs.reload();
    const before = basis;
    const after = specs.current();
    if (after === before) return;
    basis = after;
    // The interval's re-read of unchanged files is not news.
    const level = changed.length > 0 || after.specHash !== before.specHash ? 'info' : 'debug';
    log[level]({ files: changed.length, errors: after.errors.length }, 'specs reloaded');
    report(after);
    timers.sync(after.rooms);
    for (const name of changedRooms(before, after)) enqueue(roomKey(name));
    if (nonRoomSpecsChanged(before, after)) enqueue(FULL_RESYNC_KEY);
  }

  function armInterval(): void {
    if (closed) return;
    // ±10 % jitter, so daemons started together do not resync in lockstep.
    const wait = o.intervalMs * (0.9 + Math.random() * 0.2);
    intervalTimer = setTimeout(() => {
      // The files are read again first: a missed watch event (or no watcher) never lasts
      // longer than one interval, and the resync plans against what is on disk now.
      void onSpecChange([])
        .catch((err: unknown) => log.error({ err: (err as Error).message }, 'spec reload failed'))
        .finally(() => {
          enqueue(FULL_RESYNC_KEY);
          armInterval();
        });
    }, wait);
    intervalTimer.unref();
  }

  return {
    report,
    reload: () => onSpecChange([]),
    async start(stopping) {
      if (o.watch === false) {
        await onSpecChange([]);
        enqueue(FULL_RESYNC_KEY);
        armInterval();
        return;
      }
      watcher = watchSpecs({
        paths: o.specPaths,
        cwd: o.cwd,
        ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
        onChange: (changed) =>
          void onSpecChange(changed).catch((err: unknown) =>
            log.error({ err: (err as Error).message }, 'spec reload failed'),
          ),
        onError: (err) => log.error({ err: (err as Error).message }, 'spec watcher error'),
      });
      await watcher.ready;
      if (stopping()) return;
      // Changes made between the first load and the watcher's scan would be missed otherwise.
      await onSpecChange([]);
      timers.sync(specs.current().rooms);
      enqueue(FULL_RESYNC_KEY);
      armInterval();
    },
    async close() {
      closed = true;
      timers.close();
      if (intervalTimer) clearTimeout(intervalTimer);
      await watcher?.close();
    },
  };
}
