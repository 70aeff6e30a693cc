/**
 * `run` at most once per process while it succeeds (parallel callers share one attempt); after a
 * failure the next call tries again. For the set-up steps several test files may ask for at once.
 */
export function onceUntilFailure<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= run().catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}
