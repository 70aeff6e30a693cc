/**
 * Recording knobs: retry backoff and cap, how long an unanswered start blocks a new one, the
 * StartEgress deadline and the lost-egress probe. Defaults suit production; the environment can
 * override them (tests shorten them), and the daemon may pass its own.
 */

export interface RecordingOptions {
  /** Failures per policy and room before the tool stops retrying (until the policy stops holding). */
  maxRetries: number;
  /** Backoff after the first failure, doubled per failure up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * A start whose answer never came blocks a new start this long after it began: the server may
   * still hand the request to a worker (its own psrpc retries run up to ~27 s).
   */
  pendingGraceMs: number;
  /** Our StartEgress deadline (the SDK's 10 s is not left to decide). */
  startTimeoutMs: number;
  /** Probe an egress for a dead worker only once it is this old... */
  probeMinAgeMs: number;
  /** ...and at most this often per egress. */
  probeIntervalMs: number;
  /** How long the probe waits; the server itself gives up on a dead worker after ~3 s. */
  probeTimeoutMs: number;
}

export const DEFAULT_RECORDING_OPTIONS: RecordingOptions = {
  maxRetries: 5,
  retryBaseMs: 10_000,
  retryMaxMs: 300_000,
  pendingGraceMs: 60_000,
  startTimeoutMs: 30_000,
  probeMinAgeMs: 30_000,
  probeIntervalMs: 60_000,
  probeTimeoutMs: 5_000,
};

const ENV: Record<keyof RecordingOptions, string> = {
  maxRetries: 'LIVEKIT_GITOPS_RECORDING_MAX_RETRIES',
  retryBaseMs: 'LIVEKIT_GITOPS_RECORDING_RETRY_BASE_MS',
  retryMaxMs: 'LIVEKIT_GITOPS_RECORDING_RETRY_MAX_MS',
  pendingGraceMs: 'LIVEKIT_GITOPS_RECORDING_PENDING_GRACE_MS',
  startTimeoutMs: 'LIVEKIT_GITOPS_RECORDING_START_TIMEOUT_MS',
  probeMinAgeMs: 'LIVEKIT_GITOPS_RECORDING_PROBE_MIN_AGE_MS',
  probeIntervalMs: 'LIVEKIT_GITOPS_RECORDING_PROBE_INTERVAL_MS',
  probeTimeoutMs: 'LIVEKIT_GITOPS_RECORDING_PROBE_TIMEOUT_MS',
};

export function recordingOptionsFromEnv(env: Record<string, string | undefined>): RecordingOptions {
  const out = { ...DEFAULT_RECORDING_OPTIONS };
  for (const key of Object.keys(ENV) as (keyof RecordingOptions)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) out[key] = n;
  }
  return out;
}

/** Delay before the next start after `failures` failures (1 → base, doubling, capped). */
export function backoffMs(failures: number, o: RecordingOptions): number {
  if (failures <= 0) return 0;
  return Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** Math.min(failures - 1, 30));
}
