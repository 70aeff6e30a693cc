/**
 * A fenced lease: the holder renews it on a timer, every renewal bounded by a command timeout,
 * and counts it as lost at `deadline` = the time its last successful renewal took effect + TTL −
 * a safety margin, whether or not a renewal answered by then. A hung store therefore cannot keep
 * a holder acting past the moment another process may take over; `signal` aborts at the
 * deadline (or when a renewal finds the lease gone, or on release), so the holder can stop its
 * work at once. The backend provides the two store operations (Redis key or lock directory).
 */
import type { LockInfo } from '../../core/errors.ts';

export interface LeaseTiming {
  /** How long the store keeps the lease after a renewal. */
  ttlMs: number;
  /** Renew this often (well below ttl − margin). */
  renewMs: number;
  /** Stop `marginMs` before the store's expiry: clock drift and in-flight requests. */
  marginMs: number;
  /** Each renewal gives up after this long (then the next one is tried). */
  commandTimeoutMs: number;
}

/**
 * Chosen for failover within 5 s: a dead leader's lease expires at most `ttlMs` after its last
 * renewal and a standby tries every DEFAULT_LEASE_RETRY_MS, so a standby leads within about
 * 3.5 s. The holder stops writing 2 s after its last renewal was sent, and renews 4 times in
 * that window, so three slow or failed renewals in a row are survived.
 */
export const DEFAULT_LEASE_TIMING: LeaseTiming = {
  ttlMs: 3_000,
  renewMs: 500,
  marginMs: 1_000,
  commandTimeoutMs: 500,
};

/** A standby tries for the lease this often. */
export const DEFAULT_LEASE_RETRY_MS = 500;

export interface LeaseDriver {
  info: LockInfo;
  /**
   * Extends the lease; resolves the time (epoch ms, conservatively early) from which the new
   * TTL counts, or false when the lease is no longer ours. A throw means "unknown": retried.
   */
  renew(): Promise<number | false>;
  /** Frees the lease if it is still ours (compare and delete); safe to call more than once. */
  release(): Promise<void>;
}

export interface Lease {
  readonly id: string;
  readonly info: LockInfo;
  /** Epoch ms: from then on the holder must act as if the lease were gone. */
  readonly deadline: number;
  /** When the last renewal took effect (epoch ms). */
  readonly renewedAt: number;
  /** Aborts at the deadline, when a renewal finds the lease gone, or on release. */
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

/** Settles like `p`, or rejects after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Starts renewing a lease that was just taken; `takenAt` is when the take was sent. */
export function startLease(driver: LeaseDriver, timing: LeaseTiming, takenAt: number): Lease {
  const controller = new AbortController();
  let renewedAt = takenAt;
  let deadline = takenAt + timing.ttlMs - timing.marginMs;
  let renewTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;

  let released: Promise<void> | undefined;
  /** Gives the lease back if the store still has it ours (a lapsed holder must not keep it). */
  function giveBack(): Promise<void> {
    released ??= withTimeout(driver.release(), timing.commandTimeoutMs, 'lease release').catch(
      () => undefined,
    );
    return released;
  }

  function lose(reason: string): void {
    if (controller.signal.aborted) return;
    clearTimeout(renewTimer);
    clearTimeout(deadlineTimer);
    controller.abort(new Error(reason));
    void giveBack();
  }

  function armDeadline(): void {
    clearTimeout(deadlineTimer);
    deadlineTimer = setTimeout(
      () => lose('the lease deadline passed without a renewal'),
      Math.max(0, deadline - Date.now()),
    );
    deadlineTimer.unref();
  }

  /** Renewals keep their period from send to send: a slow one does not push the next back. */
  function scheduleRenew(lastSent: number): void {
    renewTimer = setTimeout(
      () => void renewOnce(),
      Math.max(0, lastSent + timing.renewMs - Date.now()),
    );
    renewTimer.unref();
  }

  async function renewOnce(): Promise<void> {
    if (controller.signal.aborted) return;
    const sent = Date.now();
    try {
      const at = await withTimeout(driver.renew(), timing.commandTimeoutMs, 'lease renewal');
      if (controller.signal.aborted) return;
      if (at === false) return lose('the lease is gone or held by another run');
      renewedAt = Math.max(renewedAt, at);
      deadline = renewedAt + timing.ttlMs - timing.marginMs;
      armDeadline();
    } catch {
      // Unknown outcome: the deadline timer decides; keep trying until then.
    }
    if (!controller.signal.aborted) scheduleRenew(sent);
  }

  armDeadline();
  scheduleRenew(takenAt);
  return {
    id: driver.info.id,
    info: driver.info,
    get deadline() {
      return deadline;
    },
    get renewedAt() {
      return renewedAt;
    },
    signal: controller.signal,
    release() {
      lose('the lease was released');
      return giveBack();
    },
  };
}
