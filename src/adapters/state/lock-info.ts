import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockHeldError, UsageError, type LockInfo } from '../../core/errors.ts';
import type { AcquireOptions, LockRequest, StateBackend } from './backend.ts';
import type { LeaseTiming } from './lease.ts';

/** `user@host` of this process, as Terraform records it. */
export function defaultWho(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return `${user}@${hostname()}`;
}

export function newLockInfo(op: LockRequest): LockInfo {
  return {
    id: randomUUID(),
    who: op.who ?? defaultWho(),
    operation: op.operation,
    created: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
  };
}

/**
 * True when the lock's holder ran on this host and its process is gone: such a lock can be
 * taken at once instead of after it goes stale. A holder on another host, or one that did not
 * record its process, is judged by staleness alone; a reused PID only makes us wait.
 */
export function holderGone(info: LockInfo | undefined): boolean {
  if (info?.pid === undefined || info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    // EPERM: alive, owned by another user.
    return (err as { code?: unknown }).code === 'ESRCH';
  }
}

export function parseLockInfo(text: string | null | undefined): LockInfo | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.id !== 'string') return undefined;
    return {
      id: v.id,
      who: String(v.who ?? 'unknown'),
      operation: String(v.operation ?? 'unknown'),
      created: String(v.created ?? ''),
      ...(Number.isInteger(v.pid) ? { pid: v.pid } : {}),
      ...(typeof v.host === 'string' ? { host: v.host } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Calls `attempt` until it yields a value or `waitMs` has passed (then returns undefined).
 * Polls at most every `pollMs`; the loop is bounded by the deadline.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T | undefined>,
  waitMs: number,
  pollMs = 200,
): Promise<T | undefined> {
  const deadline = Date.now() + Math.max(0, waitMs);
  for (;;) {
    const got = await attempt();
    if (got !== undefined) return got;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(pollMs, left));
  }
}

/**
 * Gives storage failures (unreachable Redis, unreadable file) a message the user can act on;
 * lock and usage errors pass through unchanged.
 */
export function storageError(where: string, err: unknown): Error {
  if (err instanceof LockHeldError || err instanceof UsageError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new UsageError(`state backend ${where}: ${detail}`, { cause: err });
}

/** Wraps every method of a backend so its failures go through {@link storageError}. */
export function withStorageErrors(backend: StateBackend): StateBackend {
  const where = backend.describe();
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (err) {
        throw storageError(where, err);
      }
    };
  return {
    describe: () => where,
    read: wrap(() => backend.read()),
    acquireLock: wrap((op: LockRequest, opts?: AcquireOptions) => backend.acquireLock(op, opts)),
    forceUnlock: wrap((id: string) => backend.forceUnlock(id)),
    currentLock: wrap(() => backend.currentLock()),
    acquireLeadership: wrap((op: LockRequest, timing: LeaseTiming) =>
      backend.acquireLeadership(op, timing),
    ),
    currentLeader: wrap(() => backend.currentLeader()),
    close: () => backend.close(),
  };
}
