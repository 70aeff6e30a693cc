/**
 * The daemon's lifecycle: HTTP listener first (/healthz answers while standing by), then the
 * state lock (waited for in bounded tries, so a second daemon takes over when the first dies),
 * then the four sources feeding one keyed work queue: spec file changes, an interval resync
 * with jitter, schedule edges and webhooks. `stop()` stops intake, drains within a bound,
 * flushes status and releases the lock.
 *
 * This file composes; each part has its own file: the listener (daemon-http.ts), the lock wait
 * (lock-wait.ts), the spec and time sources (spec-sources.ts), webhook intake
 * (webhook-intake.ts), retry wakeups (wakeups.ts), its self-reports (self-reports.ts), the
 * reconciler (reconciler.ts), and the options the command hands in (daemon-options.ts).
 */
import { createDaemonMetrics } from '../adapters/metrics/registry.ts';
import type { StateLock } from '../adapters/state/backend.ts';
import { createStatusStore } from '../adapters/status/status-store.ts';
import { createWorkQueue, type WorkQueue } from '../engine/work-queue.ts';
import { startDaemonHttp } from './daemon-http.ts';
import { DASHBOARD_TOKEN_ENV } from './dashboard/access.ts';
import { createDashboard } from './dashboard/dashboard.ts';
import { observeStatusStore } from './dashboard/observed-status.ts';
import type { DaemonOptions, RunningDaemon } from './daemon-options.ts';
import { createEgressPolicyIndex } from './egress-policies.ts';
import { createGate } from './gate.ts';
import { healthReasons, readyReasons } from './health.ts';
import { waitForLock } from './lock-wait.ts';
import { createTokenBucket, limitedPort } from './rate-limit.ts';
import { createReconciler, roomKey } from './reconciler.ts';
import { createScheduleTimers } from './schedule-timers.ts';
import { createSecretValues } from './secret-values.ts';
import { createSeenIds } from './seen-ids.ts';
import { createSelfReports } from './self-reports.ts';
import { createSpecSources } from './spec-sources.ts';
import { createSpecStore } from './spec-store.ts';
import { createStatusRetention, DEFAULT_STATUS_RETENTION_MS } from './status-retention.ts';
import { createWakeups } from './wakeups.ts';
import { createWebhookIntake } from './webhook-intake.ts';
import { within } from './within.ts';

export type { DaemonOptions, RunningDaemon } from './daemon-options.ts';
import { attachGitSource, markSpecCommits, type DaemonGit } from './git-source/daemon-git.ts';
import { createNotifier } from '../adapters/notify/notifier.ts';
import { noNotify, type Notify } from '../adapters/notify/events.ts';

const SEEN_PERSISTED = 1000;
const WORK_STALL_MS = 120_000;
const LEASE_STALL_MS = 30_000;
/** After the drain: status flush, lock release and backend close together get this long. */
const CLEANUP_MS = 750;

export async function startDaemon(o: DaemonOptions): Promise<RunningDaemon> {
  const log = o.log;
  let queue: WorkQueue | undefined;
  let lock: StateLock | undefined;
  let stopping = false;
  let seenDirty = false;
  // Start times of the reconciles running now, and the lease's last progress: for /healthz.
  const running = new Map<string, number>();
  let leaseProgressAt = Date.now();
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (finish = r));

  const metrics = createDaemonMetrics({ queueDepth: () => queue?.stats().depth ?? 0 });
  const statusFiles = createStatusStore({
    dir: o.statusDir,
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
  // Filled from `_daemon.yaml` once the lock is held: a standby daemon writes no status at all.
  const seen = createSeenIds(10_000);

  const reports = createSelfReports({ metrics, status, log, now: o.now });
  const retention = createStatusRetention({
    status,
    registry: metrics.registry,
    log,
    now: o.now,
    retentionMs: o.statusRetentionMs ?? DEFAULT_STATUS_RETENTION_MS,
  });
  // Aborted when the drain bound passes: LiveKit calls still waiting or in flight give up.
  const halt = new AbortController();
  const port = limitedPort(
    o.port,
    createTokenBucket(o.rate.perSecond, o.rate.burst),
    reports.onReachability,
    halt.signal,
  );
  // The notifier needs the git source's secrets to scrub, so git events reach it late-bound.
  let notifyGit: Notify = noNotify;
  // With a git source the specs are read through the link to the commit in force.
  const git: DaemonGit | undefined = o.git
    ? await attachGitSource(o.git, {
        log,
        now: o.now,
        registry: metrics.registry,
        status,
        active: () => queue !== undefined && !stopping,
        applied: async () => {
          await sources.reload();
          markCommits();
        },
        notify: (e) => notifyGit(e),
      })
    : undefined;
  const composition = o.target
    ? { target: o.target.name, knownTargets: o.target.known, overlays: o.target.overlays }
    : {};
  const specs = createSpecStore(
    git
      ? { paths: git.paths, cwd: git.cwd, ...composition, overlays: [] }
      : { paths: o.specPaths, cwd: o.cwd, ...composition },
  );
  const secretValues = createSecretValues({
    specs,
    apiSecret: o.creds.apiSecret,
    secrets: o.secrets,
    extra: [...(git?.secrets ?? []), ...(o.notifications?.secrets ?? [])],
  });
  const notifier = createNotifier({
    sinks: o.notifications?.sinks ?? [],
    secretValues,
    registry: metrics.registry,
    warn: (fields, message) => log.warn(fields, message),
  });
  const notify = notifier.notify;
  notifyGit = notify;
  /** Each declared room's status names the commit that last changed its spec. */
  function markCommits(): void {
    const commit = git?.source.status().applied;
    if (commit) markSpecCommits(status, specs.current().rooms, commit);
  }

  function enqueue(key: string): void {
    if (!stopping) queue?.enqueue(key);
  }

  const timers = createScheduleTimers({ now: o.now, onEdge: (room) => enqueue(roomKey(room)) });
  const sources = createSpecSources({
    // An overlay's change reloads as a base file's does.
    specPaths: [...o.specPaths, ...(o.target?.overlays ?? [])],
    cwd: o.cwd,
    ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
    intervalMs: o.intervalMs,
    // A git source switches the specs itself (no watcher on a checkout that never changes).
    watch: !git,
    specs,
    timers,
    status,
    metrics,
    log,
    enqueue,
    notify,
  });
  const wakeups = createWakeups({ now: o.now, enqueue });
  const egressPolicies = createEgressPolicyIndex();

  const intake = createWebhookIntake({
    creds: o.creds,
    seen,
    status,
    metrics,
    log,
    now: o.now,
    active: () => queue !== undefined && !stopping,
    enqueueRoom: (room) => enqueue(roomKey(room)),
    egressPolicyOf: egressPolicies.policyOf,
    secretValues,
    notify,
    onFolded: () => (seenDirty = true),
  });

  const dashboard = createDashboard({
    host: (o.metricsListen ?? o.listen).host,
    token: o.secrets.env[DASHBOARD_TOKEN_ENV],
    status,
    lockHolder: () => o.backend.currentLock(),
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
    metrics,
    onWebhook: intake,
    ...(git ? { hooks: git.hooks } : {}),
    unhealthyReasons: () =>
      healthReasons({
        now: Date.now(),
        oldestReconcileStart: running.size > 0 ? Math.min(...running.values()) : undefined,
        leaseProgressAt: lock && !lock.lost ? lock.renewedAt : leaseProgressAt,
        workStallMs: o.workStallMs ?? WORK_STALL_MS,
        leaseStallMs: o.leaseStallMs ?? LEASE_STALL_MS,
      }),
    notReadyReasons: () => [
      ...readyReasons({
        leading: lock !== undefined,
        firstFullDone: reports.firstFullDone(),
        livekitUp: reports.livekitUp(),
      }),
      ...(git && !git.source.status().applied ? ['no git commit applied yet'] : []),
    ],
  });
  log.info({ listen: `${http.host}:${http.port}`, webhookPath: o.webhookPath }, 'listening');
  if (o.metricsListen) {
    log.info({ listen: `${http.probes.host}:${http.probes.port}` }, 'metrics listening');
  }

  async function activate(): Promise<void> {
    const got = await waitForLock({
      backend: o.backend,
      log,
      ...(o.lockTimeoutMs !== undefined ? { lockTimeoutMs: o.lockTimeoutMs } : {}),
      lockTryMs: o.lockTryMs,
      stopping: () => stopping,
      onGiveUp: () => void stop(4),
      onProgress: () => (leaseProgressAt = Date.now()),
    });
    if (!got) return;
    lock = got;
    lock.onLost((reason) => {
      notify({ type: 'leadership', change: 'lost', reason: reason.message });
      log.fatal({ reason: reason.message }, 'state lock lost; stopping');
      void stop(1);
    });
    log.info({ state: o.backend.describe() }, 'state lock held; reconciling');
    notify({ type: 'leadership', change: 'acquired', holder: `pid ${process.pid}` });
    // Read after taking the lock: the previous holder's seen ids and statuses are final now.
    await status.load();
    for (const id of status.daemon().seenEventIds) seen.add(id);
    status.updateDaemon((d) => {
      d.pid = process.pid;
      d.startedAt = o.now().toISOString();
      d.active = true;
    });
    status.start();
    if (git) {
      // The commit in force before a restart stays in force until a newer one is applied.
      await git.source.resume();
      await git.source.sync('startup');
    }
    sources.report(await specs.reload());
    markCommits();
    const reconciler = createReconciler({
      port,
      backend: o.backend,
      lock: () => got,
      specs,
      status,
      metrics,
      log,
      gate: createGate(),
      now: o.now,
      prune: o.prune,
      reassertRooms: o.reassertRooms === true,
      maxDeletes: o.maxDeletes,
      concurrency: o.concurrency,
      toolVersion: o.toolVersion,
      secretValues,
      secrets: o.secrets,
      notify,
      egressPolicies,
      requeueAt: wakeups.requeueAt,
      onFullResync: (ok, message) => {
        reports.onFullResync(ok, message);
        if (ok) retention.sweep();
      },
    });
    queue = createWorkQueue({
      workers: o.workers,
      process: async (key) => {
        running.set(key, Date.now());
        try {
          await reconciler.reconcile(key);
        } finally {
          running.delete(key);
        }
      },
      baseDelayMs: o.backoff?.baseMs ?? 250,
      maxDelayMs: o.backoff?.maxMs ?? 30_000,
      onError: (key, err, failures) => {
        metrics.workqueueRetries.inc();
        const message = err instanceof Error ? err.message : String(err);
        log.warn({ key, failures, error: message }, 'reconcile failed; retrying with backoff');
      },
    });
    if (stopping) return;
    await sources.start(() => stopping);
    if (!stopping) git?.source.start();
  }

  const activation = activate().catch((err: unknown) => {
    log.fatal({ err: (err as Error).message }, 'daemon failed to start');
    void stop(1);
  });

  let stopped: Promise<void> | undefined;
  function stop(code = 0): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      const deadline = Date.now() + o.drainMs;
      const left = (): number => Math.max(0, deadline - Date.now());
      log.info('stopping: intake closed, draining work');
      // Everything below runs against one deadline: the drain bound, then a short cleanup.
      // Idle keep-alive sockets close now; requests in flight get the drain bound.
      dashboard.close();
      void http.close(o.drainMs);
      wakeups.close();
      await within(sources.close(), left());
      await within(git?.source.close(), left());
      // Startup (lock wait, first load) may still be running; it checks `stopping` and ends.
      if (!(await within(activation, left()))) log.warn('startup did not finish in time');
      const drained = (await queue?.shutdown({ drainMs: left() })) ?? true;
      halt.abort(new Error('daemon stopping'));
      if (!drained) log.warn({ drainMs: o.drainMs }, 'in-flight work did not finish in time');
      // Pending notifications get a short moment; undelivered ones are dropped, never block exit.
      await notifier.close(Math.min(left() + 250, CLEANUP_MS));
      // Cleanup gets its own short bound: a write queued behind a stuck one must not hold exit.
      const cleanup = (async () => {
        if (lock) {
          status.updateDaemon((d) => (d.active = false));
          seenDirty = true;
          await status.close();
        }
        if (lock && !lock.lost) await lock.release().catch(() => undefined);
        await o.backend.close().catch(() => undefined);
      })().catch((err: unknown) => log.error({ err: (err as Error).message }, 'cleanup failed'));
      if (!(await within(cleanup, CLEANUP_MS))) log.warn('status flush or lock release timed out');
      log.info('stopped');
      finish(code);
    })();
    return stopped;
  }

  return { host: http.host, port: http.port, probes: http.probes, metrics, status, done, stop };
}
