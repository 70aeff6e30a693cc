/**
 * The daemon's lifecycle: the HTTP listener (probes answer while standing by), the leadership
 * loop (leadership.ts: one active daemon per state; a standby takes over when the leader dies;
 * a lost lease ends the term, its LiveKit calls fenced and aborted, and the daemon stands by
 * again), terms of leadership (term.ts) fed by spec changes, an interval resync, schedule edges
 * and webhooks. `stop()` stops intake, drains within a bound, flushes status and releases the
 * lease. Parts: daemon-http.ts, spec-origin.ts, webhook-intake.ts, health.ts, self-reports.ts;
 * with the Redis backend the leader folds webhooks from the shared stream (stream-folding.ts).
 */
import { createDaemonMetrics } from '../adapters/metrics/registry.ts';
import { createNotifier } from '../adapters/notify/notifier.ts';
import { noNotify, type Notify } from '../adapters/notify/events.ts';
import { DEFAULT_LEASE_TIMING } from '../adapters/state/lease.ts';
import { createStatusStore } from '../adapters/status/status-store.ts';
import { startDaemonHttp } from './daemon-http.ts';
import type { DaemonOptions, RunningDaemon } from './daemon-options.ts';
import { DASHBOARD_TOKEN_ENV } from './dashboard/access.ts';
import { createDashboard } from './dashboard/dashboard.ts';
import { observeStatusStore } from './dashboard/observed-status.ts';
import { createStatusFolds } from './status-folds.ts';
import {
  DEFAULT_LEASE_STALL_MS,
  DEFAULT_WORK_STALL_MS,
  healthReasons,
  readyReasons,
} from './health.ts';
import { runLeadership, type Leadership } from './leadership.ts';
import { createTokenBucket } from './rate-limit.ts';
import { roomKey } from './reconciler.ts';
import { createSeenIds } from './seen-ids.ts';
import { createSelfReports } from './self-reports.ts';
import { openSpecOrigin } from './spec-origin.ts';
import { createDeleteHoldReport } from './delete-budget.ts';
import { createStatusRetention, DEFAULT_STATUS_RETENTION_MS } from './status-retention.ts';
import type { Term } from './term.ts';
import { runStreamFolding } from './stream-folding.ts';
import { createWebhookFold } from './webhook-fold.ts';
import { createWebhookIntake } from './webhook-intake.ts';
import { within } from './within.ts';

export type { DaemonOptions, RunningDaemon } from './daemon-options.ts';

const SEEN_PERSISTED = 1000;
/** After the drain: status flush, lease release and backend close together get this long. */
const CLEANUP_MS = 750;

export async function startDaemon(o: DaemonOptions): Promise<RunningDaemon> {
  const log = o.log;
  const timing = o.lease ?? DEFAULT_LEASE_TIMING;
  let stopping = false;
  let seenDirty = false;
  // Start times of the reconciles running now, and the lease's last progress: for /healthz.
  const running = new Map<string, number>();
  let leaseProgressAt = Date.now();
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (finish = r));
  // Set once the listener runs; until then the daemon stands by.
  let leader: Leadership | undefined;
  const term = (): Term | undefined => leader?.term();

  const metrics = createDaemonMetrics({
    queueDepth: () => term()?.queue.stats().depth ?? 0,
  });
  const statusFiles = createStatusStore({
    dir: o.statusDir,
    ...(o.shared ? { sink: o.shared.statusSink } : {}),
    ...(o.statusFlushMs !== undefined ? { flushMs: o.statusFlushMs } : {}),
    now: () => o.now().toISOString(),
    onError: (err) => log.error({ err }, 'status write failed'),
    beforeFlush: () => {
      if (!seenDirty) return;
      seenDirty = false;
      status.updateDaemon((d) => (d.seenEventIds = seen.newest(SEEN_PERSISTED)));
    },
  });
  // Every status change reaches the dashboard's open pages.
  const status = observeStatusStore(statusFiles);
  // Filled from `_daemon.yaml` once the lease is held: a standby daemon writes no status at all.
  const seen = createSeenIds(10_000);
  const reports = createSelfReports({ metrics, status, log, now: o.now });
  const deleteHolds = createDeleteHoldReport({
    status,
    registry: metrics.registry,
    log,
    now: o.now,
  });
  const retention = createStatusRetention({
    status,
    registry: metrics.registry,
    log,
    now: o.now,
    retentionMs: o.statusRetentionMs ?? DEFAULT_STATUS_RETENTION_MS,
  });
  const leading = (): boolean => term() !== undefined && !stopping;

  // The notifier scrubs the specs' and git source's secrets, so it is made after the origin;
  // events from the origin (a refused git commit) reach it late-bound.
  let notify: Notify = noNotify;
  const origin = await openSpecOrigin({
    ...o,
    apiSecret: o.creds.apiSecret,
    // The dashboard token too: scrubbed like any secret should it reach a message.
    extraSecrets: [
      ...(o.notifications?.secrets ?? []),
      ...(o.secrets.env[DASHBOARD_TOKEN_ENV] ? [o.secrets.env[DASHBOARD_TOKEN_ENV]] : []),
    ],
    notify: (e) => notify(e),
    registry: metrics.registry,
    status,
    active: leading,
    reload: () => term()?.reloadSpecs(),
  });
  const { secretValues } = origin;
  const notifier = createNotifier({
    sinks: o.notifications?.sinks ?? [],
    secretValues,
    registry: metrics.registry,
    warn: (fields, message) => log.warn(fields, message),
  });
  notify = notifier.notify;
  // The kinds' status folds, shared by webhook intake and the reconciler (they remember between).
  const folds = createStatusFolds();

  const fold = createWebhookFold({
    seen,
    status,
    now: o.now,
    enqueueRoom: (room) => term()?.enqueue(roomKey(room)),
    folds,
    secretValues,
    notify,
    onFolded: () => (seenDirty = true),
    dedupe: !o.shared,
  });
  // Redis backend: every replica appends to the shared stream; the leader folds from it.
  const intake = createWebhookIntake({
    creds: o.creds,
    metrics,
    log,
    fold,
    active: leading,
    ...(o.shared ? { stream: o.shared.stream } : {}),
  });
  const stopFolding = new AbortController();
  let folding: Promise<void> | undefined;

  const dashboard = createDashboard({
    host: (o.metricsListen ?? o.listen).host,
    token: o.secrets.env[DASHBOARD_TOKEN_ENV],
    status,
    // Shown apart: a daemon leads all the time but holds the state lock only around its writes.
    leader: () => o.backend.currentLeader(),
    stateLock: () => o.backend.currentLock(),
    now: o.now,
    toolVersion: o.toolVersion,
    secretValues,
    onError: (err) => log.warn({ err: (err as Error).message }, 'dashboard snapshot failed'),
  });
  status.onChange(dashboard.notify);
  const http = await startDaemonHttp({
    pages: dashboard.handle,
    listen: o.listen,
    ...(o.metricsListen ? { metricsListen: o.metricsListen } : {}),
    webhookPath: o.webhookPath,
    ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
    ...(o.maxInFlight !== undefined ? { maxInFlight: o.maxInFlight } : {}),
    metrics,
    onWebhook: intake,
    ...(origin.hooks ? { hooks: origin.hooks } : {}),
    unhealthyReasons: () =>
      healthReasons({
        now: Date.now(),
        oldestReconcileStart: running.size > 0 ? Math.min(...running.values()) : undefined,
        leaseProgressAt: leader?.lease()?.renewedAt ?? leaseProgressAt,
        workStallMs: o.workStallMs ?? DEFAULT_WORK_STALL_MS,
        leaseStallMs: o.leaseStallMs ?? DEFAULT_LEASE_STALL_MS,
      }),
    notReadyReasons: () => [
      ...readyReasons({
        leading: term() !== undefined,
        firstFullDone: reports.firstFullDone(),
        livekitUp: reports.livekitUp(),
      }),
      ...origin.notReadyReasons(),
    ],
  });
  log.info({ listen: `${http.host}:${http.port}`, webhookPath: o.webhookPath }, 'listening');
  if (o.metricsListen) {
    log.info({ listen: `${http.probes.host}:${http.probes.port}` }, 'metrics listening');
  }

  // Aborted when the drain bound passes: LiveKit calls still waiting or in flight give up.
  const halt = new AbortController();
  o.shared?.setWriteFence(() => {
    const held = leader?.lease();
    return held !== undefined && !held.signal.aborted;
  });
  const leadership = (leader = runLeadership({
    o,
    timing,
    status,
    seen,
    metrics,
    origin,
    folds,
    reports,
    deleteHolds,
    onFullResync: (ok, message) => {
      reports.onFullResync(ok, message);
      if (ok) retention.sweep();
    },
    notify,
    running,
    halt: halt.signal,
    bucket: createTokenBucket(o.rate.perSecond, o.rate.burst),
    stopping: () => stopping,
    stop: (code) => void stop(code),
    onLeaseProgress: (at) => (leaseProgressAt = at),
    cleanupMs: CLEANUP_MS,
    // Each term folds the shared stream until its lease is gone or the daemon stops.
    onTermStarted: (held) => {
      if (!o.shared) return;
      // Folds of an earlier term that were never written stay pending: they are folded again.
      o.shared.acks.take();
      const signal = AbortSignal.any([held.signal, stopFolding.signal]);
      const { shared } = o;
      folding = runStreamFolding({
        reader: shared.newReader(),
        fold,
        acks: shared.acks,
        metrics,
        log,
        signal,
      });
    },
  }));

  let stopped: Promise<void> | undefined;
  function stop(code = 0): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      const deadline = Date.now() + o.drainMs;
      const left = (): number => Math.max(0, deadline - Date.now());
      log.info('stopping: intake closed, draining work');
      // One deadline: the drain bound (also for requests in flight), then a short cleanup.
      dashboard.close();
      void http.close(o.drainMs);
      await within(origin.close(), left());
      const ending = leadership.term();
      const held = leadership.lease();
      stopFolding.abort();
      // Folds end before the last status write, which acknowledges their entries.
      await within(folding, left());
      const drained = (await ending?.close(left())) ?? true;
      halt.abort(new Error('daemon stopping'));
      if (!drained) log.warn({ drainMs: o.drainMs }, 'in-flight work did not finish in time');
      leadership.wake();
      // The lease wait or the start of a term may still be running; it checks `stopping`.
      if (!(await within(leadership.done, left()))) log.warn('startup did not finish in time');
      // Pending notifications get a short moment; undelivered ones are dropped, never block exit.
      await notifier.close(Math.min(left() + 250, CLEANUP_MS));
      // Cleanup gets its own short bound: a write queued behind a stuck one must not hold exit.
      const cleanup = (async () => {
        if (ending) {
          status.updateDaemon((d) => (d.active = false));
          seenDirty = true;
          await status.close();
        }
        await held?.release();
        await o.backend.close().catch(() => undefined);
        await o.shared?.close().catch(() => undefined);
      })().catch((err: unknown) => log.error({ err: (err as Error).message }, 'cleanup failed'));
      if (!(await within(cleanup, CLEANUP_MS))) log.warn('status flush or lease release timed out');
      log.info('stopped');
      finish(code);
    })();
    return stopped;
  }

  return { host: http.host, port: http.port, probes: http.probes, metrics, status, done, stop };
}
