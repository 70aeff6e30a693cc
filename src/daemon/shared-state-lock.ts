/**
 * The state lock as the daemon takes it: only around a reconcile's writes, never for its life.
 * Reconciles running at once share one hold (the lock is taken by the first, released when the
 * last is done), so parallel workers do not queue behind each other, while a CI `apply` gets
 * the lock as soon as the daemon has nothing to write. Taking it waits at most `waitMs`; a
 * reconcile that cannot get it fails and comes back with backoff.
 */
import type { StateBackend, StateLock } from '../adapters/state/backend.ts';
import { within } from './within.ts';

export interface SharedStateLock {
  /** Runs `fn` holding the state lock. */
  run<T>(fn: (lock: StateLock) => Promise<T>): Promise<T>;
  /** No more holds; the current one (if any) is released (bounded). */
  close(): Promise<void>;
}

const RELEASE_BOUND_MS = 1_000;

export function createSharedStateLock(o: {
  backend: StateBackend;
  waitMs: number;
}): SharedStateLock {
  let held: Promise<StateLock> | undefined;
  let users = 0;
  let releasing: Promise<void> = Promise.resolve();
  let closed = false;

  function releaseHeld(): Promise<void> {
    const h = held;
    held = undefined;
    if (!h) return releasing;
    releasing = h.then(
      (lock) => lock.release(),
      () => undefined,
    );
    releasing = releasing.catch(() => undefined);
    return releasing;
  }

  return {
    async run(fn) {
      if (closed) throw new Error('the daemon no longer leads; not writing state');
      users++;
      try {
        if (!held) {
          // A release still in flight must finish first, or we would wait for our own lock.
          await releasing;
        }
        if (!held) {
          const taking = o.backend.acquireLock({ operation: 'daemon' }, { waitMs: o.waitMs });
          held = taking;
          // A failed take (a CI apply held it past the wait) must not stick for later reconciles.
          taking.catch(() => held === taking && (held = undefined));
        }
        const current = held;
        const lock = await current;
        if (lock.lost) {
          if (held === current) held = undefined;
          throw new Error('the state lock was lost');
        }
        return await fn(lock);
      } finally {
        users--;
        if (users === 0) void releaseHeld();
      }
    },
    async close() {
      closed = true;
      await within(releaseHeld(), RELEASE_BOUND_MS);
    },
  };
}
