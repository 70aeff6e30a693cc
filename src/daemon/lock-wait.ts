/**
 * Standing by for the state lock: bounded tries, so a second daemon takes over when the first
 * dies, logged once while another run holds it, and given up after `lockTimeoutMs` (exit 4).
 */
import type { Logger } from 'pino';
import type { StateBackend, StateLock } from '../adapters/state/backend.ts';
import { LockHeldError } from '../core/errors.ts';

export interface LockWaitOptions {
  backend: StateBackend;
  log: Logger;
  /** Give up after this long; absent: wait for as long as it takes. */
  lockTimeoutMs?: number;
  /** Each try waits this long before logging and trying again. */
  lockTryMs: number;
  /** True once the daemon is stopping: the wait ends without a lock. */
  stopping(): boolean;
  /** Called when the timeout passed; the wait then ends without a lock. */
  onGiveUp(): void;
  /** Called whenever a try returned (with or without the lock): the lease wait is not hung. */
  onProgress?(): void;
}

export async function waitForLock(o: LockWaitOptions): Promise<StateLock | undefined> {
  const { log } = o;
  let logged = false;
  const deadline = o.lockTimeoutMs === undefined ? Infinity : Date.now() + o.lockTimeoutMs;
  while (!o.stopping()) {
    if (Date.now() > deadline) {
      log.error({ lockTimeoutMs: o.lockTimeoutMs }, 'gave up waiting for the state lock');
      o.onGiveUp();
      return undefined;
    }
    try {
      const got = await o.backend.acquireLock({ operation: 'daemon' }, { waitMs: o.lockTryMs });
      o.onProgress?.();
      if (o.stopping()) {
        await got.release();
        return undefined;
      }
      return got;
    } catch (err) {
      o.onProgress?.();
      if (err instanceof LockHeldError) {
        if (!logged)
          log.info({ holder: err.holder }, 'state lock held by another run; standing by');
        logged = true;
        continue;
      }
      log.error({ err: (err as Error).message }, 'cannot take the state lock; retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return undefined;
}
