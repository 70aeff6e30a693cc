/**
 * One term of leadership: from taking the leadership lease to losing it (or stopping). A term
 * owns the work queue, the spec and time sources, retry wakeups and a LiveKit port fenced by
 * the lease: no write starts within `writeGuardMs` of the lease deadline, and at the deadline
 * every call still waiting or in flight is aborted. The state lock is not held for the term,
 * only around each reconcile's writes (shared-state-lock.ts), so a CI `apply` can run between.
 */
import type { Logger } from 'pino';
import type { Notify } from '../adapters/notify/events.ts';
import { fencedPort } from '../adapters/livekit/fenced.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { StateBackend } from '../adapters/state/backend.ts';
import type { Lease, LeaseTiming } from '../adapters/state/lease.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import { createWorkQueue, type WorkQueue } from '../engine/work-queue.ts';
import type { Secrets } from '../spec/secrets.ts';
import type { DaemonOptions } from './daemon-options.ts';
import type { DeleteHoldReport } from './delete-budget.ts';
import type { StatusFolds } from './status-folds.ts';
import { createGate } from './gate.ts';
import { limitedPort, type TokenBucket } from './rate-limit.ts';
import { createReconciler, FULL_RESYNC_KEY, roomKey } from './reconciler.ts';
import { createScheduleTimers } from './schedule-timers.ts';
import { createSharedStateLock } from './shared-state-lock.ts';
import { createSpecSources } from './spec-sources.ts';
import type { SpecStore } from './spec-store.ts';
import { createWakeups } from './wakeups.ts';

export interface TermOptions {
  lease: Lease;
  /** Aborted when the daemon's drain bound passed. */
  halt: AbortSignal;
  rawPort: LiveKitPort;
  bucket: TokenBucket;
  onReach: (up: boolean) => void;
  backend: StateBackend;
  specs: SpecStore;
  status: StatusStore;
  metrics: DaemonMetrics;
  log: Logger;
  folds: StatusFolds;
  secretValues: () => readonly string[];
  secrets: Secrets;
  notify: Notify;
  /** Start times of running reconciles, shared with /healthz. */
  running: Map<string, number>;
  now: () => Date;
  specPaths: readonly string[];
  /** Its overlays are watched as the spec files are. */
  target?: DaemonOptions['target'];
  cwd: string;
  debounceMs?: number;
  intervalMs: number;
  /** Watch the spec files (off when a git source switches the specs itself). */
  watch?: boolean;
  prune: boolean;
  /** Full resyncs re-home declared rooms whose LiveKit node died (see reassert-rooms.ts). */
  reassertRooms?: boolean;
  maxDeletes: number;
  /** `--force`: spec deletes past maxDeletes are made, an empty spec set is acted on. */
  force?: boolean;
  deleteHolds?: DeleteHoldReport;
  concurrency: number;
  workers: number;
  toolVersion: string;
  /** No write starts this close to the lease deadline (see defaultWriteGuardMs). */
  writeGuardMs?: number;
  /** A reconcile waits this long for the state lock (default 60 s). */
  stateLockWaitMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  onFullResync: (ok: boolean, message?: string) => void;
  stopping: () => boolean;
}

export interface Term {
  queue: WorkQueue;
  enqueue(key: string): void;
  /** Resolves once the sources run (the first full resync is queued). */
  started: Promise<void>;
  /** Reloads the specs and enqueues what changed (a git source switched commits). */
  reloadSpecs(): Promise<void>;
  /**
   * Ends the term: sources and timers stop, queued keys are dropped; running ones get `drainMs`
   * and are then aborted. Resolves true when everything finished in time.
   */
  close(drainMs: number): Promise<boolean>;
}

const STATE_LOCK_WAIT_MS = 60_000;

/**
 * 1 s, but never so much that writes pause between two timely renewals: the fence must close
 * only when renewals are late (short test TTLs would otherwise refuse writes in steady state).
 */
export function defaultWriteGuardMs(l: LeaseTiming): number {
  return Math.max(0, Math.min(1_000, (l.ttlMs - l.marginMs - l.renewMs) / 2));
}

export function startTerm(t: TermOptions): Term {
  const guard = t.writeGuardMs ?? 0;
  const signal = AbortSignal.any([t.halt, t.lease.signal]);
  const port = limitedPort(
    fencedPort(t.rawPort, { signal, writeUntil: () => t.lease.deadline - guard }),
    t.bucket,
    t.onReach,
    signal,
  );
  let closed = false;
  const enqueue = (key: string): void => {
    if (!closed && !t.stopping()) queue.enqueue(key);
  };
  const timers = createScheduleTimers({ now: t.now, onEdge: (room) => enqueue(roomKey(room)) });
  const sources = createSpecSources({
    // An overlay's change reloads as a base file's does.
    specPaths: [...t.specPaths, ...(t.target?.overlays ?? [])],
    cwd: t.cwd,
    ...(t.debounceMs !== undefined ? { debounceMs: t.debounceMs } : {}),
    intervalMs: t.intervalMs,
    ...(t.watch !== undefined ? { watch: t.watch } : {}),
    specs: t.specs,
    timers,
    status: t.status,
    metrics: t.metrics,
    log: t.log,
    enqueue,
    notify: t.notify,
  });
  const wakeups = createWakeups({ now: t.now, enqueue });
  const stateLock = createSharedStateLock({
    backend: t.backend,
    waitMs: t.stateLockWaitMs ?? STATE_LOCK_WAIT_MS,
  });
  const reconciler = createReconciler({
    port,
    backend: t.backend,
    stateLock,
    specs: t.specs,
    status: t.status,
    metrics: t.metrics,
    log: t.log,
    gate: createGate(),
    now: t.now,
    prune: t.prune,
    reassertRooms: t.reassertRooms === true,
    maxDeletes: t.maxDeletes,
    force: t.force ?? false,
    ...(t.deleteHolds ? { deleteHolds: t.deleteHolds } : {}),
    requestFull: () => enqueue(FULL_RESYNC_KEY),
    concurrency: t.concurrency,
    toolVersion: t.toolVersion,
    secretValues: t.secretValues,
    secrets: t.secrets,
    notify: t.notify,
    folds: t.folds,
    requeueAt: wakeups.requeueAt,
    onFullResync: t.onFullResync,
  });
  const queue = createWorkQueue({
    workers: t.workers,
    process: async (key) => {
      if (signal.aborted) throw new Error('the leadership lease is gone');
      t.running.set(key, Date.now());
      try {
        await reconciler.reconcile(key);
      } finally {
        t.running.delete(key);
      }
    },
    baseDelayMs: t.backoff?.baseMs ?? 250,
    maxDelayMs: t.backoff?.maxMs ?? 30_000,
    onError: (key, err, failures) => {
      if (signal.aborted) return;
      t.metrics.workqueueRetries.inc();
      const message = err instanceof Error ? err.message : String(err);
      t.log.warn({ key, failures, error: message }, 'reconcile failed; retrying with backoff');
    },
  });

  const started = (async () => {
    sources.report(await t.specs.reload());
    if (closed || t.stopping()) return;
    await sources.start(() => closed || t.stopping());
  })();

  return {
    queue,
    enqueue,
    started,
    reloadSpecs: () => sources.reload(),
    async close(drainMs) {
      closed = true;
      wakeups.close();
      await sources.close();
      const drained = await queue.shutdown({ drainMs });
      t.running.clear();
      await stateLock.close();
      return drained;
    },
  };
}
