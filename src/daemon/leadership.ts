/**
 * The daemon's leadership loop: stand by for the lease, lead one term on it (term.ts), and after
 * a lost lease (its LiveKit calls already fenced and aborted) end the term, stop writing status
 * and stand by again, until the daemon stops. Each change of leadership is logged and notified.
 */
import type { Notify } from '../adapters/notify/events.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { Lease, LeaseTiming } from '../adapters/state/lease.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { DaemonOptions } from './daemon-options.ts';
import type { StatusFolds } from './status-folds.ts';
import { DEFAULT_LEASE_RETRY_MS } from '../adapters/state/lease.ts';
import { waitForLease } from './lease-wait.ts';
import type { TokenBucket } from './rate-limit.ts';
import type { SeenIds } from './seen-ids.ts';
import type { DeleteHoldReport } from './delete-budget.ts';
import type { SelfReports } from './self-reports.ts';
import type { SpecOrigin } from './spec-origin.ts';
import { defaultWriteGuardMs, startTerm, type Term } from './term.ts';
import { within } from './within.ts';

export interface LeadershipDeps {
  o: DaemonOptions;
  timing: LeaseTiming;
  status: StatusStore;
  seen: SeenIds;
  metrics: DaemonMetrics;
  origin: SpecOrigin;
  folds: StatusFolds;
  reports: SelfReports;
  /** Full resyncs' held deletes (kept across terms: one metric, one report). */
  deleteHolds: DeleteHoldReport;
  /** After each full resync (its result reported, old statuses swept). */
  onFullResync: (ok: boolean, message?: string) => void;
  notify: Notify;
  /** Start times of running reconciles, shared with /healthz. */
  running: Map<string, number>;
  /** Aborted when the daemon's drain bound passed. */
  halt: AbortSignal;
  bucket: TokenBucket;
  stopping: () => boolean;
  stop: (code: number) => void;
  /** A lease try returned (with or without the lease), or the lease was lost at this time. */
  onLeaseProgress: (at: number) => void;
  /** Bounds the status flush after a lost lease. */
  cleanupMs: number;
  /** A term started on `held` (the Redis backend's stream folding starts here). */
  onTermStarted?: (held: Lease) => void;
}

export interface Leadership {
  /** Resolves once the loop has ended (the daemon stops, or gave up standing by). */
  done: Promise<void>;
  term(): Term | undefined;
  lease(): Lease | undefined;
  /** Ends the term being led now (the daemon is stopping). */
  wake(): void;
}

export function runLeadership(d: LeadershipDeps): Leadership {
  const { o, status, log } = { ...d, log: d.o.log };
  let term: Term | undefined;
  let lease: Lease | undefined;
  let wake: () => void = () => undefined;

  /** Runs one term on `held`; resolves once the lease is gone or the daemon stops. */
  async function lead(held: Lease): Promise<void> {
    log.info(
      { state: o.backend.describe(), deadline: held.deadline },
      'leadership lease held; reconciling',
    );
    d.notify({ type: 'leadership', change: 'acquired', holder: `pid ${process.pid}` });
    // Read after taking the lease: the previous leader's seen ids and statuses are final now.
    await status.load();
    if (d.stopping()) return;
    for (const id of status.daemon().seenEventIds) d.seen.add(id);
    status.updateDaemon((s) => {
      s.pid = process.pid;
      s.startedAt = o.now().toISOString();
      s.active = true;
    });
    status.start();
    d.reports.resetFirstFull();
    await d.origin.beforeTerm();
    const ended = new Promise<void>((resolve) => {
      wake = resolve;
      held.signal.addEventListener('abort', () => resolve(), { once: true });
      if (held.signal.aborted) resolve();
    });
    term = startTerm({
      // Shared settings (specs, interval, prune, workers, ...) under their daemon option names.
      ...o,
      lease: held,
      halt: d.halt,
      rawPort: o.port,
      bucket: d.bucket,
      onReach: d.reports.onReachability,
      specs: d.origin.specs,
      status,
      metrics: d.metrics,
      folds: d.folds,
      secretValues: d.origin.secretValues,
      notify: d.notify,
      running: d.running,
      watch: d.origin.watch,
      writeGuardMs: o.writeGuardMs ?? defaultWriteGuardMs(d.timing),
      onFullResync: d.onFullResync,
      deleteHolds: d.deleteHolds,
      stopping: d.stopping,
    });
    d.onTermStarted?.(held);
    void term.started.then(() => d.origin.termStarted(d.stopping()));
    term.started.catch((err: unknown) =>
      log.error({ err: (err as Error).message }, 'spec sources failed to start'),
    );
    await ended;
  }

  async function loop(): Promise<void> {
    while (!d.stopping()) {
      const held = await waitForLease({
        backend: o.backend,
        log,
        timing: d.timing,
        retryMs: o.leaseRetryMs ?? DEFAULT_LEASE_RETRY_MS,
        ...(o.lockTimeoutMs !== undefined ? { timeoutMs: o.lockTimeoutMs } : {}),
        stopping: d.stopping,
        onGiveUp: () => d.stop(4),
        onProgress: () => d.onLeaseProgress(Date.now()),
      });
      if (!held) return;
      lease = held;
      await lead(held);
      if (d.stopping()) return;
      // Lost (calls already fenced): end the term, stop writing status, stand by again.
      const reason = (held.signal.reason as Error | undefined)?.message ?? 'lease lost';
      log.warn(
        { reason, deadline: held.deadline, lostAt: Date.now() },
        'leadership lease lost; standing by',
      );
      d.notify({ type: 'leadership', change: 'lost', reason });
      const ending = term;
      term = undefined;
      lease = undefined;
      d.onLeaseProgress(held.renewedAt);
      await ending?.close(0);
      await within(status.close(), d.cleanupMs);
    }
  }

  const done = loop().catch((err: unknown) => {
    log.fatal({ err: (err as Error).message }, 'daemon failed');
    d.stop(1);
  });
  return { done, term: () => term, lease: () => lease, wake: () => wake() };
}
