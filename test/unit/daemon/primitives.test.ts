import { describe, expect, it } from 'vitest';
import { createGate } from '../../../src/daemon/gate.ts';
import { createTokenBucket } from '../../../src/daemon/rate-limit.ts';
import { createSeenIds } from '../../../src/daemon/seen-ids.ts';

describe('daemon primitives', () => {
  it('the gate runs a full resync alone and per-room work together', async () => {
    const gate = createGate();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const a = gate.shared(async () => {
      log.push('a+');
      await held;
      log.push('a-');
    });
    const full = gate.exclusive(() => {
      log.push('full');
      return Promise.resolve();
    });
    // Writers are preferred: b waits behind the pending full resync.
    const b = gate.shared(() => {
      log.push('b');
      return Promise.resolve();
    });
    await Promise.resolve();
    release();
    await Promise.all([a, full, b]);
    expect(log).toEqual(['a+', 'a-', 'full', 'b']);
  });

  it('the token bucket lets a burst through, then paces to the rate', async () => {
    let t = 0;
    const bucket = createTokenBucket(1000, 3, () => t);
    for (let i = 0; i < 3; i++) await bucket.take();
    // Out of tokens: the next take waits for a refill (the clock moves while it waits).
    const next = bucket.take();
    t += 5;
    await next;
    expect(t).toBe(5);
  });

  it('seen ids are bounded, oldest forgotten first', () => {
    const seen = createSeenIds(3, ['a', 'b']);
    seen.add('c');
    seen.add('d');
    expect(seen.has('a')).toBe(false);
    expect(seen.newest(10)).toEqual(['b', 'c', 'd']);
    expect(seen.newest(2)).toEqual(['c', 'd']);
  });
});
