/**
 * What the daemon command hands the daemon, and what it gets back: the daemon's contract with
 * its one caller (src/cli/commands/daemon.ts). The lifecycle itself is daemon.ts.
 */
import type { Logger } from 'pino';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { StateBackend } from '../adapters/state/backend.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { Secrets } from '../spec/secrets.ts';
import type { SinkSettings } from '../adapters/notify/sinks.ts';
import type { LeaseTiming } from '../adapters/state/lease.ts';
import type { DaemonGitSettings } from './git-source/daemon-git.ts';
import type { RedisSharing } from '../adapters/stream/redis-sharing.ts';

export interface DaemonOptions {
  cwd: string;
  specPaths: readonly string[];
  /** The target whose composition is reconciled (overlays, `metadata.targets`); none: the base. */
  target?: { name: string; known: readonly string[]; overlays: readonly string[] };
  listen: { host: string; port: number };
  /** A separate listener for /metrics, /healthz and /readyz; `listen` then serves only the webhook. */
  metricsListen?: { host: string; port: number };
  webhookPath: string;
  intervalMs: number;
  statusDir: string;
  /** A room neither declared nor live keeps its status this long (default 24 h). */
  statusRetentionMs?: number;
  backend: StateBackend;
  /** The raw port; the daemon puts its rate limit in front. */
  port: LiveKitPort;
  creds: { apiKey: string; apiSecret: string };
  log: Logger;
  /** The daemon's clock (schedules, status times); tests may shift it. */
  now: () => Date;
  prune: boolean;
  /** Full resyncs re-home declared rooms whose LiveKit node died (a multi-node LiveKit). */
  reassertRooms?: boolean;
  maxDeletes: number;
  /** `--force`: spec deletes past maxDeletes are made (and an empty spec set is acted on). */
  force?: boolean;
  concurrency: number;
  workers: number;
  rate: { perSecond: number; burst: number };
  toolVersion: string;
  /** The environment and secret resolver the command hands down (also to scrub messages). */
  secrets: Secrets;
  /** Give up standing by after this long (exit 4); absent: wait for as long as it takes. */
  lockTimeoutMs?: number;
  /** The leadership lease: TTL, renewal period, safety margin, command timeout. */
  lease?: LeaseTiming;
  /** A standby tries for the lease this often (default: lease.ts DEFAULT_LEASE_RETRY_MS). */
  leaseRetryMs?: number;
  /** No LiveKit write starts this close to the lease deadline (default up to 1 s). */
  writeGuardMs?: number;
  /** A reconcile waits this long for the state lock (a CI apply holding it); default 60 s. */
  stateLockWaitMs?: number;
  drainMs: number;
  maxBodyBytes?: number;
  /** Webhook requests handled at once; more get 503 with Retry-After (default 256). */
  maxInFlight?: number;
  /**
   * Redis backend: every replica appends webhooks to the shared stream and the leader folds
   * them; status documents live in Redis (docs/daemon.md, "Replicas").
   */
  shared?: RedisSharing;
  /** Status write coalescing period (default 250 ms). */
  statusFlushMs?: number;
  debounceMs?: number;
  /** /healthz fails when a reconcile runs longer than this (default 2 min). */
  workStallMs?: number;
  /** /healthz fails when the lease made no progress for this long (default 30 s). */
  leaseStallMs?: number;
  /** Backoff of a failing key: first delay and cap. */
  backoff?: { baseMs: number; maxMs: number };
  /** Specs from a git repository instead of `specPaths` (see docs/git-source.md). */
  git?: DaemonGitSettings;
  /** Notification sinks with their secrets already resolved (docs/notifications.md). */
  notifications?: { sinks: readonly SinkSettings[]; secrets: readonly string[] };
}

export interface RunningDaemon {
  host: string;
  port: number;
  /** The probe listener's address: the same as host/port unless `metricsListen` was given. */
  probes: { host: string; port: number };
  metrics: DaemonMetrics;
  status: StatusStore;
  /** Resolves with the exit code once the daemon has stopped. */
  done: Promise<number>;
  stop(code?: number): Promise<void>;
}
