import pRetry from 'p-retry';
import { LiveKitError } from '../../core/errors.ts';

export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, minTimeoutMs: 100, maxTimeoutMs: 2_000 };

/**
 * Runs a call that is safe to repeat, retrying transient LiveKit failures (unavailable, timeout,
 * internal) with exponential backoff and full jitter. Anything else fails at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  if (opts.retries <= 0) return fn();
  return pRetry(fn, {
    retries: opts.retries,
    minTimeout: opts.minTimeoutMs,
    maxTimeout: opts.maxTimeoutMs,
    factor: 2,
    randomize: true,
    // "... not connected (redis required)" is a server configuration, not a blip.
    shouldRetry: ({ error }) =>
      error instanceof LiveKitError && error.retryable && !/redis required/.test(error.message),
  });
}
