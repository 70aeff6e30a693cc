/**
 * A keyed work queue in the manner of client-go's workqueue: a key waits at most once, is
 * never processed by two workers at once (if it is re-added while processing it runs again
 * afterwards), and a failing key comes back after a per-key exponential backoff.
 */

export interface WorkQueueOptions {
  /** Workers processing keys in parallel (>= 1). */
  workers: number;
  /** Reconciles one key; a throw re-adds it after a backoff. */
  process: (key: string, signal: AbortSignal) => Promise<void>;
  /** First retry delay (client-go: 5 ms), doubled per consecutive failure up to the cap. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (key: string, error: unknown, failures: number) => void;
}

export interface WorkQueueStats {
  /** Keys waiting to be processed now (not counting delayed retries). */
  depth: number;
  /** Keys waiting for their backoff to end. */
  delayed: number;
  processing: number;
  adds: number;
  retries: number;
  processed: number;
  failures: number;
}

export interface WorkQueue {
  /** Queues the key unless it is already waiting. Ignored after shutdown. */
  enqueue(key: string): void;
  /** Queues the key after `delayMs` (an earlier pending time wins). */
  enqueueAfter(key: string, delayMs: number): void;
  /** Resets the key's backoff (done automatically when `process` succeeds). */
  forget(key: string): void;
  /** Consecutive failures of the key so far. */
  failures(key: string): number;
  stats(): WorkQueueStats;
  /** Resolves once nothing is waiting, delayed or processing. */
  idle(): Promise<void>;
  /**
   * Stops taking keys and drops delayed retries; waits up to `drainMs` for queued and running
   * keys to finish. Past that it drops the waiting keys, aborts the running ones' signal and
   * resolves false without waiting for them; true when it drained fully.
   */
  shutdown(opts?: { drainMs?: number }): Promise<boolean>;
}

export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  if (!(opts.workers >= 1)) throw new RangeError('workers must be at least 1');
  const base = opts.baseDelayMs ?? 5;
  const cap = opts.maxDelayMs ?? 60_000;
  const queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  const failureCount = new Map<string, number>();
  const abort = new AbortController();
  let stopping = false;
  let drainOnly = false;
  let idleWaiters: Array<() => void> = [];
  const counters = { adds: 0, retries: 0, processed: 0, failures: 0 };

  function isIdle(): boolean {
    return queue.length === 0 && processing.size === 0 && delayed.size === 0;
  }

  function settle(): void {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  function add(key: string): void {
    if (dirty.has(key)) return;
    dirty.add(key);
    counters.adds++;
    // A key being processed is queued again only when its current run ends.
    if (!processing.has(key)) queue.push(key);
    pump();
  }

  function pump(): void {
    while (!drainOnly && processing.size < opts.workers && queue.length > 0) {
      const key = queue.shift() as string;
      dirty.delete(key);
      processing.add(key);
      void work(key);
    }
    settle();
  }

  async function work(key: string): Promise<void> {
    try {
      await opts.process(key, abort.signal);
      failureCount.delete(key);
      counters.processed++;
    } catch (err) {
      const n = (failureCount.get(key) ?? 0) + 1;
      failureCount.set(key, n);
      counters.failures++;
      opts.onError?.(key, err, n);
      if (!stopping) {
        counters.retries++;
        later(key, Math.min(cap, base * 2 ** (n - 1)));
      }
    } finally {
      processing.delete(key);
      if (dirty.has(key)) queue.push(key);
      pump();
    }
  }

  function later(key: string, delayMs: number): void {
    if (stopping) return;
    if (delayMs <= 0) return add(key);
    const at = Date.now() + delayMs;
    const existing = delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, delayMs);
    timer.unref();
    delayed.set(key, { at, timer });
  }

  return {
    enqueue(key) {
      if (!stopping) add(key);
    },
    enqueueAfter: later,
    forget(key) {
      failureCount.delete(key);
    },
    failures: (key) => failureCount.get(key) ?? 0,
    stats: () => ({
      depth: queue.length,
      delayed: delayed.size,
      processing: processing.size,
      ...counters,
    }),
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settle();
      });
    },
    async shutdown({ drainMs = 0 } = {}) {
      stopping = true;
      for (const d of delayed.values()) clearTimeout(d.timer);
      delayed.clear();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), drainMs);
      });
      const drained = await Promise.race([this.idle().then(() => true as const), timedOut]);
      clearTimeout(timer);
      if (!drained) {
        // Out of time: start nothing more and ask the running keys to stop.
        drainOnly = true;
        queue.length = 0;
        dirty.clear();
        abort.abort(new Error('work queue shut down'));
      }
      return drained;
    },
  };
}
