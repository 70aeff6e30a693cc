import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { LiveKitError } from '../core/errors.ts';

export type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

export interface ExecuteOptions<T, R> {
  /** At most this many `run` calls in flight at once (>= 1). */
  concurrency: number;
  /** Whether repeating this item's action is safe (idempotent); only then is it retried. */
  retry: (item: T) => boolean;
  /** Retries after the first attempt; default 3. */
  retries?: number;
  /** Backoff: first delay, doubled each retry up to the cap, times a random 1..2 jitter. */
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  /** Which failures are transient; default: a LiveKitError whose `retryable` is true. */
  isTransient?: (error: unknown) => boolean;
  onStart?: (item: T) => void;
  onDone?: (item: T, outcome: Outcome<R>, attempts: number) => void;
  /**
   * Phase of an item: phases run one after another in ascending order, the items of one
   * phase concurrently (e.g. a replace's delete in phase 0, its create in phase 1).
   */
  order?: (item: T) => number;
  /** An item of a later phase is skipped when this says a failed earlier item blocks it. */
  blockedBy?: (item: T, failed: readonly T[]) => boolean;
  /** When aborted, items not yet started are skipped; running ones finish. */
  signal?: AbortSignal;
}

export interface ExecuteResult<T, R> {
  ok: Array<{ item: T; result: R; attempts: number }>;
  failed: Array<{ item: T; error: unknown; attempts: number }>;
  /** Not run: blocked by an earlier failure, or aborted before they started. */
  skipped: T[];
}

export function isTransientLiveKitError(error: unknown): boolean {
  return error instanceof LiveKitError && error.retryable;
}

function phases<T>(items: readonly T[], order?: (item: T) => number): T[][] {
  if (!order) return [items.slice()];
  const byPhase = new Map<number, T[]>();
  for (const item of items) {
    const p = order(item);
    byPhase.set(p, [...(byPhase.get(p) ?? []), item]);
  }
  return [...byPhase.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/**
 * Runs every item's action with bounded concurrency and per-item retry of transient failures.
 * One failure never stops the others; the caller gets every outcome back.
 */
export async function executeChanges<T, R>(
  items: readonly T[],
  run: (item: T) => Promise<R>,
  opts: ExecuteOptions<T, R>,
): Promise<ExecuteResult<T, R>> {
  if (!(opts.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  const limit = pLimit(Math.floor(opts.concurrency));
  const transient = opts.isTransient ?? isTransientLiveKitError;
  const result: ExecuteResult<T, R> = { ok: [], failed: [], skipped: [] };

  async function runOne(item: T): Promise<void> {
    if (opts.signal?.aborted) {
      result.skipped.push(item);
      return;
    }
    opts.onStart?.(item);
    let attempts = 0;
    const repeatable = opts.retry(item);
    try {
      const value = await pRetry(
        () => {
          attempts++;
          return run(item);
        },
        {
          retries: repeatable ? (opts.retries ?? 3) : 0,
          minTimeout: opts.minTimeoutMs ?? 200,
          maxTimeout: opts.maxTimeoutMs ?? 5_000,
          factor: 2,
          randomize: true,
          shouldRetry: ({ error }) => repeatable && transient(error),
        },
      );
      result.ok.push({ item, result: value, attempts });
      opts.onDone?.(item, { ok: true, result: value }, attempts);
    } catch (error) {
      result.failed.push({ item, error, attempts });
      opts.onDone?.(item, { ok: false, error }, attempts);
    }
  }

  for (const group of phases(items, opts.order)) {
    const failedSoFar = result.failed.map((f) => f.item);
    const runnable = group.filter((item) => {
      const blocked = failedSoFar.length > 0 && opts.blockedBy?.(item, failedSoFar) === true;
      if (blocked) result.skipped.push(item);
      return !blocked;
    });
    await Promise.all(runnable.map((item) => limit(() => runOne(item))));
  }
  return result;
}
