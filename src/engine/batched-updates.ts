/**
 * Coalesces state updates into one write per time window. Apply records each finished action this
 * way: the pending markers written before any call already make a crash safe (the next run settles
 * them against LiveKit), so ownership records need not cost one whole-state write each, which at
 * thousands of objects would spend the CPU the LiveKit server needs.
 */
import type { StateLock, StateUpdater } from '../adapters/state/backend.ts';

export interface BatchedUpdates {
  add(fn: StateUpdater): void;
  /** Writes what is queued and waits for every write so far. */
  flush(): Promise<void>;
}

export function batchedUpdates(lock: StateLock, windowMs = 250): BatchedUpdates {
  let queued: StateUpdater[] = [];
  let timer: NodeJS.Timeout | undefined;
  const writes: Promise<unknown>[] = [];

  function writeQueued(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    writes.push(
      lock.update((doc) => {
        for (const fn of batch) fn(doc);
      }),
    );
  }

  return {
    add(fn) {
      queued.push(fn);
      timer ??= setTimeout(writeQueued, windowMs);
    },
    async flush() {
      writeQueued();
      await Promise.all(writes);
    },
  };
}
