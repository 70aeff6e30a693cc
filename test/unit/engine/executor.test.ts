import { describe, expect, it } from 'vitest';
import { executeChanges } from '../../../src/engine/executor.ts';
import { LiveKitError } from '../../../src/core/errors.ts';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function unavailable(): LiveKitError {
  return new LiveKitError('unavailable', 'RoomService.CreateRoom', 'connection refused');
}

describe('engine/executor', () => {
  it('never has more than `concurrency` actions in flight, and runs them all', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);

    const res = await executeChanges(
      items,
      async (i) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight--;
        return i * 2;
      },
      { concurrency: 4, retry: () => true },
    );

    expect(maxInFlight).toBe(4);
    expect(res.ok.map((o) => o.result).sort((a, b) => a - b)).toEqual(items.map((i) => i * 2));
    expect(res.failed).toEqual([]);
  });

  it('retries a transient LiveKit error when the action is safe to repeat', async () => {
    const calls = new Map<string, number>();
    const attemptsSeen: Array<[string, number]> = [];

    const res = await executeChanges(
      ['a', 'b'],
      (k) => {
        const n = (calls.get(k) ?? 0) + 1;
        calls.set(k, n);
        return n < 3 ? Promise.reject(unavailable()) : Promise.resolve(`${k}${n}`);
      },
      {
        concurrency: 2,
        retry: () => true,
        minTimeoutMs: 1,
        maxTimeoutMs: 2,
        onDone: (k, _o, attempts) => attemptsSeen.push([k, attempts]),
      },
    );

    expect(res.ok.map((o) => o.result).sort()).toEqual(['a3', 'b3']);
    expect(attemptsSeen.sort()).toEqual([
      ['a', 3],
      ['b', 3],
    ]);
  });

  it('does not retry an action that is not safe to repeat, nor a permanent error', async () => {
    const calls = new Map<string, number>();
    const errors: Record<string, Error> = {
      unsafe: unavailable(),
      permanent: new LiveKitError('invalid', 'RoomService.CreateRoom', 'bad name'),
      plain: new Error('boom'),
    };

    const res = await executeChanges(
      Object.keys(errors),
      (k) => {
        calls.set(k, (calls.get(k) ?? 0) + 1);
        return Promise.reject(errors[k] ?? new Error('?'));
      },
      { concurrency: 3, retry: (k) => k !== 'unsafe', retries: 5, minTimeoutMs: 1 },
    );

    expect(Object.fromEntries(calls)).toEqual({ unsafe: 1, permanent: 1, plain: 1 });
    expect(res.failed.map((f) => [f.item, f.error, f.attempts]).sort()).toEqual(
      [
        ['unsafe', errors['unsafe'], 1],
        ['permanent', errors['permanent'], 1],
        ['plain', errors['plain'], 1],
      ].sort(),
    );
  });

  it('gives up after `retries` and reports the last error; the others still succeed', async () => {
    let flakyCalls = 0;

    const res = await executeChanges(
      ['flaky', 'fine1', 'fine2'],
      (k) => {
        if (k !== 'flaky') return Promise.resolve(k);
        flakyCalls++;
        return Promise.reject(unavailable());
      },
      { concurrency: 1, retry: () => true, retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 },
    );

    expect(flakyCalls).toBe(3);
    expect(res.failed.map((f) => [f.item, f.attempts])).toEqual([['flaky', 3]]);
    expect(res.ok.map((o) => o.item)).toEqual(['fine1', 'fine2']);
  });

  it('runs phases in sequence and skips items blocked by an earlier failure', async () => {
    interface Step {
      id: string;
      phase: number;
      of: string;
    }
    const steps: Step[] = [
      { id: 'create x', phase: 1, of: 'x' },
      { id: 'delete x', phase: 0, of: 'x' },
      { id: 'delete y', phase: 0, of: 'y' },
      { id: 'create y', phase: 1, of: 'y' },
      { id: 'update z', phase: 1, of: 'z' },
    ];
    const started: string[] = [];

    const res = await executeChanges(
      steps,
      async (s) => {
        started.push(s.id);
        await tick();
        if (s.id === 'delete y') throw new Error('delete failed');
        return s.id;
      },
      {
        concurrency: 10,
        retry: () => false,
        order: (s) => s.phase,
        blockedBy: (s, failed) => failed.some((f) => f.of === s.of),
        onStart: () => undefined,
      },
    );

    expect(started.slice(0, 2).sort()).toEqual(['delete x', 'delete y']);
    expect(started.slice(2).sort()).toEqual(['create x', 'update z']);
    expect(res.skipped.map((s) => s.id)).toEqual(['create y']);
    expect(res.failed.map((f) => f.item.id)).toEqual(['delete y']);
  });

  it('skips items not yet started once the signal aborts', async () => {
    const ac = new AbortController();
    const ran: number[] = [];

    const res = await executeChanges(
      [1, 2, 3, 4],
      (i) => {
        ran.push(i);
        if (i === 2) ac.abort();
        return Promise.resolve(i);
      },
      { concurrency: 1, retry: () => true, signal: ac.signal },
    );

    expect(ran).toEqual([1, 2]);
    expect(res.skipped).toEqual([3, 4]);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(
      executeChanges([1], (i) => Promise.resolve(i), { concurrency: 0, retry: () => true }),
    ).rejects.toThrow(RangeError);
  });
});
