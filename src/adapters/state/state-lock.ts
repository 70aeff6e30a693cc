import { LockHeldError, type LockInfo } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { StateLock, StateUpdater } from './backend.ts';

/** The backend-specific half of a lock; the shared half (serial, group commit, lost) is here. */
export interface LockDriver {
  info: LockInfo;
  /** The stored document (read under the lock). */
  load(): Promise<StateDocument>;
  /** Stores `doc` atomically, or resolves false when the lock is no longer ours. */
  store(doc: StateDocument): Promise<boolean>;
  /** Stops the heartbeat and frees the lock if it is still ours. */
  release(): Promise<void>;
}

export interface LockHandle {
  lock: StateLock;
  /** Called by the driver's heartbeat when it finds the lock gone. */
  markLost(reason: Error): void;
  /** Called by the driver's heartbeat when it confirmed the lock is still ours. */
  renewed(at: number): void;
}

interface Pending {
  fn: StateUpdater;
  resolve(doc: StateDocument): void;
  reject(err: unknown): void;
}

export function createStateLock(driver: LockDriver): LockHandle {
  let lost: Error | undefined;
  let released = false;
  let renewedAt = Date.now();
  const lostCallbacks: Array<(reason: Error) => void> = [];
  // The last document we stored; nobody else writes while we hold the lock.
  let current: StateDocument | undefined;
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;

  function markLost(reason: Error): void {
    if (lost || released) return;
    lost = reason;
    for (const cb of lostCallbacks) cb(reason);
  }

  function refuse(): LockHeldError {
    const why = released ? 'was released' : `was lost (${lost?.message ?? 'unknown'})`;
    return new LockHeldError(`the state lock ${driver.info.id} ${why}; refusing to write state`);
  }

  async function latest(): Promise<StateDocument> {
    current ??= await driver.load();
    return current;
  }

  async function persist(doc: StateDocument): Promise<StateDocument> {
    if (lost || released) throw refuse();
    const stored = await latest();
    if (doc.lineage !== stored.lineage) {
      throw new Error(`state lineage mismatch: ${doc.lineage} is not ${stored.lineage}`);
    }
    const next = { ...doc, serial: stored.serial + 1 };
    if (!(await driver.store(next))) {
      markLost(new Error('another run holds the lock now'));
      throw refuse();
    }
    current = next;
    return next;
  }

  // Group commit: updates that arrive while a write is in flight share the next write.
  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      // Updaters edit the cached document in place (a clone per batch costs more than the
      // write for big states); a failed write drops the cache so the next batch rereads.
      let doc = await latest();
      const applied: Pending[] = [];
      for (const p of batch) {
        try {
          doc = p.fn(doc) ?? doc;
          applied.push(p);
        } catch (err) {
          p.reject(err);
        }
      }
      if (applied.length === 0) continue;
      try {
        const written = await persist(doc);
        for (const p of applied) p.resolve(written);
      } catch (err) {
        current = undefined;
        for (const p of applied) p.reject(err);
      }
    }
  }

  function schedule(): void {
    flushing ??= flush().finally(() => {
      flushing = undefined;
      if (queue.length > 0) schedule();
    });
  }

  const lock: StateLock = {
    id: driver.info.id,
    info: driver.info,
    get lost() {
      return lost !== undefined;
    },
    get renewedAt() {
      return renewedAt;
    },
    async write(doc) {
      // Wait for queued updates so a direct write never interleaves with a group commit.
      while (flushing) await flushing;
      return persist(doc);
    },
    update(fn) {
      return new Promise<StateDocument>((resolve, reject) => {
        queue.push({ fn, resolve, reject });
        schedule();
      });
    },
    async release() {
      if (released) return;
      while (flushing) await flushing;
      released = true;
      await driver.release();
    },
    onLost(cb) {
      lostCallbacks.push(cb);
      if (lost) cb(lost);
    },
  };
  return { lock, markLost, renewed: (at) => (renewedAt = Math.max(renewedAt, at)) };
}
