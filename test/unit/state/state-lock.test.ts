import { describe, expect, it } from 'vitest';
import { createStateLock, type LockDriver } from '../../../src/adapters/state/state-lock.ts';
import { LockHeldError } from '../../../src/core/errors.ts';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';

/** An in-memory driver: `stored` is what a backend would hold; `failNext` fails one store. */
function memoryDriver(): LockDriver & {
  stored: StateDocument;
  stores: number;
  failNext: boolean;
  ours: boolean;
} {
  const d = {
    info: { id: 'L1', who: 't@h', operation: 'apply', created: '2026-01-01T00:00:00.000Z' },
    stored: emptyState('lin'),
    stores: 0,
    failNext: false,
    ours: true,
    load: () => Promise.resolve(structuredClone(d.stored)),
    store(doc: StateDocument) {
      if (d.failNext) {
        d.failNext = false;
        return Promise.reject(new Error('disk full'));
      }
      if (!d.ours) return Promise.resolve(false);
      d.stores++;
      d.stored = structuredClone(doc);
      return Promise.resolve(true);
    },
    release: () => Promise.resolve(),
  };
  return d;
}

function own(name: string) {
  return (doc: StateDocument): void => {
    doc.owned[name] = { address: name, kind: 'Room', name, since: 'x' };
  };
}

describe('adapters/state/state-lock', () => {
  it('a throwing updater fails alone; its batch-mates are still written', async () => {
    const driver = memoryDriver();
    const { lock } = createStateLock(driver);

    const results = await Promise.allSettled([
      lock.update(own('a')),
      lock.update(() => {
        throw new Error('bad updater');
      }),
      lock.update(own('b')),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(Object.keys(driver.stored.owned).sort()).toEqual(['a', 'b']);
    expect(driver.stores).toBeLessThanOrEqual(2);
  });

  it('a failed store rejects its batch and the next update starts from what is stored', async () => {
    const driver = memoryDriver();
    const { lock } = createStateLock(driver);
    await lock.update(own('a'));
    driver.failNext = true;

    const failed = await lock.update(own('lost')).catch((e: unknown) => e);
    const next = await lock.update(own('c'));

    expect(failed).toEqual(new Error('disk full'));
    expect(Object.keys(next.owned).sort()).toEqual(['a', 'c']);
    expect(next.serial).toBe(2);
  });

  it('marks itself lost when the backend says the lock is no longer ours, and tells listeners', async () => {
    const driver = memoryDriver();
    const { lock } = createStateLock(driver);
    const reasons: string[] = [];
    lock.onLost((e) => reasons.push(e.message));
    driver.ours = false;

    const err = await lock.update(own('a')).catch((e: unknown) => e);
    const again = await lock.write(emptyState('lin')).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(LockHeldError);
    expect(again).toBeInstanceOf(LockHeldError);
    expect(lock.lost).toBe(true);
    expect(reasons).toHaveLength(1);
    expect(driver.stored.serial).toBe(0);
  });

  it('release waits for queued updates before letting go', async () => {
    const driver = memoryDriver();
    const { lock } = createStateLock(driver);

    const pending = [lock.update(own('a')), lock.update(own('b'))];
    await lock.release();
    const done = await Promise.all(pending);

    expect(done.map((d) => d.serial).at(-1)).toBe(driver.stored.serial);
    expect(Object.keys(driver.stored.owned).sort()).toEqual(['a', 'b']);
  });
});
