/**
 * Recording retries and pending starts ask for a key to be reconciled again at a time: one timer
 * per key, the earliest wins.
 */
export interface Wakeups {
  readonly requeueAt: (key: string, atMs: number) => void;
  close(): void;
}

/** Fires a little after the asked time, so the reconcile sees the moment as passed. */
const LATE_MS = 50;

export function createWakeups(o: { now: () => Date; enqueue: (key: string) => void }): Wakeups {
  const wakeups = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  return {
    requeueAt: (key, atMs) => {
      const prev = wakeups.get(key);
      if (prev && prev.at <= atMs && prev.at > o.now().getTime()) return;
      if (prev) clearTimeout(prev.timer);
      const timer = setTimeout(
        () => {
          wakeups.delete(key);
          o.enqueue(key);
        },
        Math.max(0, atMs - o.now().getTime()) + LATE_MS,
      );
      timer.unref();
      wakeups.set(key, { at: atMs, timer });
    },
    close() {
      for (const w of wakeups.values()) clearTimeout(w.timer);
    },
  };
}
