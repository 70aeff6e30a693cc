/**
 * A stand-in for plugin-throttling's write and notification limiters with a chosen interval.
 * GitHub asks for about one second between content-creating requests, and the plugin paces
 * writes at 1 s and comment writes (they notify people) at 3 s, shared by every client in the
 * process. Callers that talk to something else (the test stand-in) pass a shorter interval; the
 * plugin accepts any object shaped like its Bottleneck groups: `key(id).schedule(options, fn)`.
 */

type Job = (...args: unknown[]) => unknown;

export interface PacerLimiter {
  schedule(options: unknown, fn: Job, ...args: unknown[]): Promise<unknown>;
}

export interface WritePacer {
  key(id: string): PacerLimiter;
}

/** Runs jobs one at a time per key, starting each at least `minIntervalMs` after the previous. */
export function createWritePacer(minIntervalMs: number): WritePacer {
  const limiters = new Map<string, PacerLimiter>();
  return {
    key(id) {
      let limiter = limiters.get(id);
      if (limiter === undefined) {
        limiter = sequential(minIntervalMs);
        limiters.set(id, limiter);
      }
      return limiter;
    },
  };
}

function sequential(minIntervalMs: number): PacerLimiter {
  let tail: Promise<unknown> = Promise.resolve();
  let lastStart = -Infinity;
  return {
    schedule(_options, fn, ...args) {
      const run = tail.then(async () => {
        const wait = lastStart + minIntervalMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        lastStart = Date.now();
        return fn(...args);
      });
      // The next job waits for this one to start and finish, whatever its outcome.
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
