import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWritePacer } from '../../../src/adapters/github/write-pacer.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('adapters/github/write-pacer', () => {
  it('runs jobs of one key one at a time, in order, passing arguments and results through', async () => {
    const limiter = createWritePacer(0).key('a');
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const job = async (n: unknown): Promise<unknown> => {
      active++;
      most = Math.max(most, active);
      await Promise.resolve();
      order.push(Number(n));
      active--;
      return `done ${String(n)}`;
    };

    const results = await Promise.all([1, 2, 3].map((n) => limiter.schedule({}, job, n)));

    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(order).toEqual([1, 2, 3]);
    expect(most).toBe(1);
  });

  it('starts the next job only after the interval, also when the previous one failed', async () => {
    vi.useFakeTimers();
    const limiter = createWritePacer(1_000).key('a');
    const started: string[] = [];

    const first = limiter.schedule({}, () => {
      started.push('first');
      throw new Error('HTTP 500');
    });
    const second = limiter.schedule({}, () => started.push('second'));
    await expect(first).rejects.toThrow('HTTP 500');
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(1);
    await second;
    expect(started).toEqual(['first', 'second']);
  });

  it('paces each key on its own', async () => {
    vi.useFakeTimers();
    const pacer = createWritePacer(1_000);
    const started: string[] = [];

    await pacer.key('a').schedule({}, () => started.push('a1'));
    await pacer.key('b').schedule({}, () => started.push('b1'));

    expect(started).toEqual(['a1', 'b1']);
    expect(pacer.key('a')).toBe(pacer.key('a'));
  });
});
