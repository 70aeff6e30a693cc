import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LockHeldError, UsageError, type LockInfo } from '../../core/errors.ts';
import { emptyState, type StateDocument } from '../../core/inventory.ts';
import type { AcquireOptions, LockRequest, StateBackend, StateLock } from './backend.ts';
import { newLockInfo, parseLockInfo, retryUntil } from './lock-info.ts';
import { parseStateDocument } from './parse-state.ts';
import { createStateLock } from './state-lock.ts';
import { redisTargetOptions } from './redis-address.ts';
import {
  startLease,
  withTimeout,
  type Lease,
  type LeaseDriver,
  type LeaseTiming,
} from './lease.ts';

export interface RedisBackendOptions {
  /** `host:port`, as LiveKit's own `redis.address`. */
  address: string;
  keyPrefix?: string;
  password?: string;
  db?: number;
  /** Lease length; the holder extends it every third of this. */
  ttlMs?: number;
  /** Every command gives up after this long (a hung Redis must not hang its callers). */
  commandTimeoutMs?: number;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 5_000;

export const DEFAULT_REDIS_TTL_MS = 15_000;
export const DEFAULT_REDIS_PREFIX = 'livekit-gitops:';

// Extend the lease only while it is still ours.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
// Delete the lease only while it is still ours.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;
// Write the state only while we hold the lease, in one atomic step.
const GUARDED_SET = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[2], ARGV[2]) return 1 else return 0 end`;

/** State in `<prefix>state`; the lock is a lease `<prefix>lock` with TTL and heartbeat. */
export function createRedisBackend(opts: RedisBackendOptions): StateBackend {
  const prefix = opts.keyPrefix ?? DEFAULT_REDIS_PREFIX;
  const stateKey = `${prefix}state`;
  const lockKey = `${prefix}lock`;
  const leaderKey = `${prefix}leader`;
  const ttl = Math.max(opts.ttlMs ?? DEFAULT_REDIS_TTL_MS, 300);
  const target = redisTargetOptions(opts);
  const { host, port } = target;
  const client = new Redis({
    ...target,
    // Fail calls rather than queue them forever while Redis is down.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    commandTimeout: opts.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  });
  const where = `redis ${host}:${port} ${stateKey}`;
  // Connection errors reach callers through the failed commands; without a listener ioredis
  // would print them itself.
  let lastConnError: Error | undefined;
  client.on('error', (err: Error) => (lastConnError = err));
  client.on('ready', () => (lastConnError = undefined));

  /** Says why Redis is unreachable rather than ioredis's "max retries per request". */
  function explain(err: unknown): Error {
    if (!(err instanceof Error)) return new Error(String(err));
    if (err.name !== 'MaxRetriesPerRequestError') return err;
    return new Error(
      `cannot reach Redis at ${host}:${port}: ${lastConnError?.message ?? 'no reply'}`,
      {
        cause: err,
      },
    );
  }
  function guard<A extends unknown[], R>(fn: (...a: A) => Promise<R>) {
    return (...a: A): Promise<R> => fn(...a).catch((err: unknown) => Promise.reject(explain(err)));
  }

  async function read(): Promise<StateDocument> {
    let text = await client.get(stateKey);
    if (text === null) {
      // NX: when two runs race to create the first state, both end up with the same lineage.
      await client.set(stateKey, JSON.stringify(emptyState(randomUUID())), 'NX');
      text = await client.get(stateKey);
    }
    if (text === null) throw new Error(`could not create ${where}`);
    return parseStateDocument(text, where);
  }

  async function tryLock(op: LockRequest): Promise<StateLock | undefined> {
    const info = newLockInfo(op);
    const value = JSON.stringify(info);
    const ok = await client.set(lockKey, value, 'PX', ttl, 'NX');
    if (ok !== 'OK') return undefined;
    let lastRenewed = Date.now();
    const handle = createStateLock({
      info,
      load: read,
      async store(doc) {
        const r = await client.eval(GUARDED_SET, 2, lockKey, stateKey, value, JSON.stringify(doc));
        return r === 1;
      },
      async release() {
        clearInterval(timer);
        await client.eval(RELEASE, 1, lockKey, value).catch(() => undefined);
      },
    });
    const timer = setInterval(
      () => {
        client.eval(RENEW, 1, lockKey, value, String(ttl)).then(
          (r) => {
            if (r === 1) {
              lastRenewed = Date.now();
              handle.renewed(lastRenewed);
            } else {
              clearInterval(timer);
              handle.markLost(new Error('the lease expired and is gone or held by another run'));
            }
          },
          (err: unknown) => {
            // Unreachable Redis: the lease may have expired by now, so we must assume it is lost.
            if (Date.now() - lastRenewed >= ttl) {
              clearInterval(timer);
              handle.markLost(new Error(`could not renew the lease: ${(err as Error).message}`));
            }
          },
        );
      },
      Math.floor(ttl / 3),
    );
    timer.unref();
    return handle.lock;
  }

  async function acquireLeadership(
    op: LockRequest,
    timing: LeaseTiming,
  ): Promise<Lease | undefined> {
    const info = newLockInfo(op);
    const value = JSON.stringify(info);
    // The TTL counts from when the command was sent: the earliest it can have taken effect.
    const sent = Date.now();
    const setting = client.set(leaderKey, value, 'PX', timing.ttlMs, 'NX');
    const ok = await withTimeout(setting, timing.commandTimeoutMs, 'taking the lease').catch(
      (err: unknown) => {
        // A take answered late would leave us a lease already near its deadline: give it back
        // once Redis answers, and report this try as failed.
        void setting
          .then((r) => r === 'OK' && client.eval(RELEASE, 1, leaderKey, value))
          .catch(() => undefined);
        throw err;
      },
    );
    if (ok !== 'OK') return undefined;
    const driver: LeaseDriver = {
      info,
      async renew() {
        const at = Date.now();
        const r = await client.eval(RENEW, 1, leaderKey, value, String(timing.ttlMs));
        return r === 1 ? at : false;
      },
      async release() {
        await client.eval(RELEASE, 1, leaderKey, value);
      },
    };
    return startLease(driver, timing, sent);
  }

  async function currentLock(): Promise<LockInfo | undefined> {
    return parseLockInfo(await client.get(lockKey));
  }

  return {
    describe: () => where,
    read: guard(read),
    acquireLock: guard(async (op: LockRequest, acquire: AcquireOptions = {}) => {
      const lock = await retryUntil(() => tryLock(op), acquire.waitMs ?? 0, 100);
      if (lock) return lock;
      const holder = await currentLock();
      throw new LockHeldError(
        `the state (${where}) is locked by another run; its lease lapses ${ttl} ms after the ` +
          `holder stops; to break it now: livekit-gitops state unlock ${holder?.id ?? '<LOCK_ID>'} --force`,
        holder,
      );
    }),
    forceUnlock: guard(async (id: string) => {
      const raw = await client.get(lockKey);
      const holder = parseLockInfo(raw);
      if (raw === null || holder?.id !== id) {
        throw new UsageError(
          `lock id ${id} does not match the current lock (${holder?.id ?? 'none held'})`,
        );
      }
      await client.eval(RELEASE, 1, lockKey, raw);
    }),
    currentLock: guard(currentLock),
    acquireLeadership: guard(acquireLeadership),
    currentLeader: guard(async () => parseLockInfo(await client.get(leaderKey))),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
