/** Webhook stream entries folded in memory and waiting for the status write that acknowledges them. */
export interface AckQueue {
  push(entryId: string): void;
  /** Takes every id queued so far; hand them back with `putBack` if the write failed. */
  take(): string[];
  putBack(ids: readonly string[]): void;
  size(): number;
}

export function createAckQueue(): AckQueue {
  let ids: string[] = [];
  return {
    push: (id) => void ids.push(id),
    take() {
      const out = ids;
      ids = [];
      return out;
    },
    putBack(back) {
      ids = [...back, ...ids];
    },
    size: () => ids.length,
  };
}
