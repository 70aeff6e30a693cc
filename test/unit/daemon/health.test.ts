import { describe, expect, it } from 'vitest';
import { healthReasons, probeReply, readyReasons } from '../../../src/daemon/health.ts';

const base = { now: 100_000, workStallMs: 10_000, leaseStallMs: 5_000 };

describe('daemon health', () => {
  it('is healthy while reconciles and the lease make progress within their bounds', () => {
    expect(
      healthReasons({ ...base, oldestReconcileStart: 95_000, leaseProgressAt: 96_000 }),
    ).toEqual([]);
    expect(
      healthReasons({ ...base, oldestReconcileStart: undefined, leaseProgressAt: 95_000 }),
    ).toEqual([]);
  });

  it('fails when a reconcile runs past the work bound', () => {
    const r = healthReasons({ ...base, oldestReconcileStart: 80_000, leaseProgressAt: 99_000 });
    expect(r).toEqual(['work loop stalled: a reconcile has been running for 20s']);
  });

  it('fails when the lease made no progress within its bound (a hung Redis)', () => {
    const r = healthReasons({ ...base, oldestReconcileStart: undefined, leaseProgressAt: 90_000 });
    expect(r).toEqual(['lease stalled: no renewal or attempt finished for 10s']);
    expect(probeReply('healthy', r)).toMatchObject({ status: 503 });
    expect(JSON.parse(probeReply('healthy', r).body)).toEqual({ healthy: false, reasons: r });
  });

  it('is ready only when leading, converged once and LiveKit answers', () => {
    expect(readyReasons({ leading: true, firstFullDone: true, livekitUp: true })).toEqual([]);
    expect(readyReasons({ leading: false, firstFullDone: false, livekitUp: false })).toHaveLength(
      3,
    );
    expect(probeReply('ready', []).status).toBe(200);
  });
});
