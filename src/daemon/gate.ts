/**
 * A readers-writer gate: per-room reconciles share it, a full resync takes it alone, so a resync
 * never plans from an observation that a concurrent per-room apply is changing. Writers are
 * preferred, so a stream of webhooks cannot starve the resync.
 */
export interface Gate {
  shared<T>(fn: () => Promise<T>): Promise<T>;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function createGate(): Gate {
  let readers = 0;
  let writer = false;
  const waitingWriters: Array<() => void> = [];
  const waitingReaders: Array<() => void> = [];

  function wake(): void {
    if (writer) return;
    if (waitingWriters.length > 0) {
      if (readers === 0) {
        writer = true;
        waitingWriters.shift()?.();
      }
      return;
    }
    while (waitingReaders.length > 0) {
      readers++;
      waitingReaders.shift()?.();
    }
  }

  return {
    async shared(fn) {
      if (writer || waitingWriters.length > 0) {
        await new Promise<void>((r) => waitingReaders.push(r));
      } else readers++;
      try {
        return await fn();
      } finally {
        readers--;
        wake();
      }
    },
    async exclusive(fn) {
      if (writer || readers > 0 || waitingWriters.length > 0) {
        await new Promise<void>((r) => {
          waitingWriters.push(r);
          wake();
        });
      } else writer = true;
      try {
        return await fn();
      } finally {
        writer = false;
        wake();
      }
    },
  };
}
