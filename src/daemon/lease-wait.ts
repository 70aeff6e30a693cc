/**
 * Standing by for the leadership lease: one try every `retryMs` (each bounded by the backend's
 * command timeout), logged once while another daemon leads, given up after `timeoutMs` (exit 4).
 * The same wait runs at startup and after a lost lease, so a daemon that lost it (a hung Redis,
 * a partition) stands by and takes it again later instead of exiting.
 */
import type { Logger } from 'pino';
import type { StateBackend } from '../adapters/state/backend.ts';
import type { Lease, LeaseTiming } from '../adapters/state/lease.ts';

export interface LeaseWaitOptions {
  backend: StateBackend;
  log: Logger;
  timing: LeaseTiming;
  /** Pause between tries. */
  retryMs: number;
  /** Give up after this long; absent: wait for as long as it takes. */
  timeoutMs?: number;
  /** True once the daemon is stopping: the wait ends without a lease. */
  stopping(): boolean;
  /** Called when the timeout passed; the wait then ends without a lease. */
  onGiveUp(): void;
  /** Called whenever a try returned (with or without the lease): the wait is not hung. */
  onProgress?(): void;
}

export async function waitForLease(o: LeaseWaitOptions): Promise<Lease | undefined> {
  const { log } = o;
  let logged = false;
  const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
  while (!o.stopping()) {
    if (Date.now() > deadline) {
      log.error({ lockTimeoutMs: o.timeoutMs }, 'gave up waiting for the leadership lease');
      o.onGiveUp();
      return undefined;
    }
    try {
      const got = await o.backend.acquireLeadership({ operation: 'daemon' }, o.timing);
      o.onProgress?.();
      if (got && o.stopping()) {
        await got.release();
        return undefined;
      }
      if (got) return got;
      if (!logged) {
        const holder = await o.backend.currentLeader().catch(() => undefined);
        log.info({ holder }, 'another daemon leads; standing by');
      }
      logged = true;
    } catch (err) {
      // No progress: an unreachable or hung store is what /healthz must notice.
      log.error({ err: (err as Error).message }, 'cannot take the leadership lease; retrying');
    }
    await new Promise((r) => setTimeout(r, o.retryMs));
  }
  return undefined;
}
