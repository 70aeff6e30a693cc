/** A bounded set of webhook event ids already folded (oldest forgotten first). */
export interface SeenIds {
  has(id: string): boolean;
  add(id: string): void;
  /** The newest `n` ids, oldest first (persisted in `_daemon.yaml`). */
  newest(n: number): string[];
  size(): number;
}

export function createSeenIds(capacity: number, initial: readonly string[] = []): SeenIds {
  const ids = new Set<string>();
  function add(id: string): void {
    ids.delete(id);
    ids.add(id);
    if (ids.size > capacity) {
      const oldest = ids.values().next().value;
      if (oldest !== undefined) ids.delete(oldest);
    }
  }
  for (const id of initial) add(id);
  return {
    has: (id) => ids.has(id),
    add,
    newest(n) {
      const all = [...ids];
      return all.slice(Math.max(0, all.length - n));
    },
    size: () => ids.size,
  };
}
