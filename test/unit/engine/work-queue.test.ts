import { describe, expect, it } from 'vitest';
import { createWorkQueue } from '../../../src/engine/work-queue.ts';

/** A promise the test resolves by hand, to hold a key "in processing". */
function gate(): { wait: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('engine/work-queue', () => {
  it('dedupes keys that are waiting', async () => {
    const seen: string[] = [];
    const g = gate();
    const q = createWorkQueue({
      workers: 1,
      process: async (k) => {
        seen.push(k);
        await g.wait;
      },
    });

    q.enqueue('blocker');
    q.enqueue('a');
    q.enqueue('a');
    q.enqueue('b');
    q.enqueue('a');
    const depth = q.stats().depth;
    g.open();
    await q.idle();

    expect(depth).toBe(2);
    expect(seen).toEqual(['blocker', 'a', 'b']);
    expect(q.stats()).toMatchObject({ adds: 3, processed: 3, depth: 0, processing: 0 });
  });

  it('never processes one key twice at once, and reruns a key re-added while it ran', async () => {
    const g = gate();
    const running = new Map<string, number>();
    let overlap = 0;
    let runsOfA = 0;
    const q = createWorkQueue({
      workers: 4,
      process: async (k) => {
        const n = (running.get(k) ?? 0) + 1;
        running.set(k, n);
        if (n > 1) overlap++;
        if (k === 'a') runsOfA++;
        if (runsOfA === 1) await g.wait;
        await tick();
        running.set(k, (running.get(k) ?? 1) - 1);
      },
    });

    q.enqueue('a');
    await tick();
    q.enqueue('a'); // arrives while 'a' is processing, with free workers
    q.enqueue('a');
    const during = q.stats();
    g.open();
    await q.idle();

    expect(during).toMatchObject({ processing: 1, depth: 0 });
    expect(overlap).toBe(0);
    expect(runsOfA).toBe(2);
  });

  it('bounds the workers', async () => {
    let inFlight = 0;
    let max = 0;
    const q = createWorkQueue({
      workers: 3,
      process: async () => {
        inFlight++;
        max = Math.max(max, inFlight);
        await tick();
        inFlight--;
      },
    });

    for (let i = 0; i < 20; i++) q.enqueue(`k${i}`);
    await q.idle();

    expect(max).toBe(3);
    expect(q.stats().processed).toBe(20);
  });

  it('retries a failing key with growing per-key backoff and forgets it on success', async () => {
    const errors: Array<[string, number]> = [];
    let calls = 0;
    const q = createWorkQueue({
      workers: 1,
      baseDelayMs: 1,
      maxDelayMs: 4,
      process: () => {
        calls++;
        return calls <= 3 ? Promise.reject(new Error('not yet')) : Promise.resolve();
      },
      onError: (k, _e, n) => errors.push([k, n]),
    });

    q.enqueue('flaky');
    await q.idle();

    expect(errors).toEqual([
      ['flaky', 1],
      ['flaky', 2],
      ['flaky', 3],
    ]);
    expect(q.failures('flaky')).toBe(0);
    expect(q.stats()).toMatchObject({ retries: 3, failures: 3, processed: 1, delayed: 0 });
  });

  it('shutdown drains queued work when there is time', async () => {
    const done: string[] = [];
    const q = createWorkQueue({
      workers: 1,
      process: async (k) => {
        await tick();
        done.push(k);
      },
    });

    q.enqueue('a');
    q.enqueue('b');
    const drained = await q.shutdown({ drainMs: 10_000 });
    q.enqueue('late');
    await tick();

    expect(drained).toBe(true);
    expect(done).toEqual(['a', 'b']);
  });

  it('shutdown past drainMs drops waiting keys and aborts the running one', async () => {
    const started: string[] = [];
    let aborted = false;
    const q = createWorkQueue({
      workers: 1,
      process: (k, signal) => {
        started.push(k);
        return new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        });
      },
    });

    q.enqueue('stuck');
    q.enqueue('waiting');
    q.enqueueAfter('retry-later', 60_000);
    const drained = await q.shutdown({ drainMs: 5 });
    await q.idle();

    expect(drained).toBe(false);
    expect(aborted).toBe(true);
    expect(started).toEqual(['stuck']);
    expect(q.stats()).toMatchObject({ depth: 0, delayed: 0, processing: 0 });
  });
});
