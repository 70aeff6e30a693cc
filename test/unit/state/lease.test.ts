import { describe, expect, it } from 'vitest';
import { startLease, type LeaseDriver } from '../../../src/adapters/state/lease.ts';

const info = { id: 'l1', who: 't@h', operation: 'daemon', created: '' };
const timing = { ttlMs: 600, renewMs: 100, marginMs: 200, commandTimeoutMs: 50 };

function driver(renew: () => Promise<number | false>): LeaseDriver & { released: number } {
  const d = {
    info,
    released: 0,
    renew,
    release: () => {
      d.released++;
      return Promise.resolve();
    },
  };
  return d;
}

function aborted(signal: AbortSignal): Promise<number> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(Date.now()), { once: true }),
  );
}

describe('fenced lease', () => {
  it('moves the deadline with every renewal (TTL from when the renewal was sent, minus the margin)', async () => {
    const d = driver(() => Promise.resolve(Date.now()));
    const takenAt = Date.now();
    const lease = startLease(d, timing, takenAt);
    expect(lease.deadline).toBe(takenAt + 400);
    await new Promise((r) => setTimeout(r, 350));
    expect(lease.signal.aborted).toBe(false);
    expect(lease.renewedAt).toBeGreaterThan(takenAt);
    expect(lease.deadline).toBe(lease.renewedAt + 400);
    await lease.release();
    expect(lease.signal.aborted).toBe(true);
    expect(d.released).toBe(1);
  });

  it('counts a lease whose renewals hang as lost at the deadline, without waiting for them', async () => {
    const d = driver(() => new Promise<number>(() => undefined));
    const takenAt = Date.now();
    const lease = startLease(d, timing, takenAt);
    const at = await aborted(lease.signal);
    expect(at).toBeGreaterThanOrEqual(takenAt + 400 - 5);
    expect(at).toBeLessThan(takenAt + 600);
    expect((lease.signal.reason as Error).message).toMatch(/deadline passed/);
    // The lapsed holder gives the lease back, so another can take it as soon as the store answers.
    expect(d.released).toBe(1);
  });

  it('is lost at once when a renewal finds it gone', async () => {
    const lease = startLease(
      driver(() => Promise.resolve(false)),
      timing,
      Date.now(),
    );
    await aborted(lease.signal);
    expect((lease.signal.reason as Error).message).toMatch(/gone or held by another run/);
  });
});
