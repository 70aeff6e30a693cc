import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../../../src/adapters/state/redis-backend.ts';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { LockHeldError, UsageError } from '../../../src/core/errors.ts';
import { freePort } from '../../harness/free-port.ts';
import { describeStateBackendContract } from '../../contract/state-backend.contract.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('adapters/state/redis-backend', () => {
  describeStateBackendContract('redis', () =>
    Promise.resolve({
      cwd: process.cwd(),
      config: {
        backend: 'redis',
        redis: { address: redis.address, keyPrefix: `test-${randomUUID()}:` },
        lockTtlMs: 1_500,
      },
    }),
  );

  it('notices a lease that vanished at its next heartbeat and refuses to write', async () => {
    const keyPrefix = `lapse-${randomUUID()}:`;
    const backend = createRedisBackend({ address: redis.address, keyPrefix, ttlMs: 600 });
    const raw = new Redis(redis.port, '127.0.0.1');
    const doc = await backend.read();
    const lock = await backend.acquireLock({ operation: 'daemon' });
    const lost = new Promise<Error>((resolve) => lock.onLost(resolve));

    // What an expired lease looks like to its holder: the key is gone (or someone else's).
    await raw.set(`${keyPrefix}lock`, JSON.stringify({ id: 'someone-else' }));
    const reason = await lost;
    const refused = await lock.write(doc).catch((e: unknown) => e);
    const stored = await backend.read();
    await lock.release();
    const stillTheirs = await raw.get(`${keyPrefix}lock`);
    raw.disconnect();
    await backend.close();

    expect(reason.message).toMatch(/lease/);
    expect(refused).toBeInstanceOf(LockHeldError);
    expect(stored.serial).toBe(0);
    expect(stillTheirs).toBe(JSON.stringify({ id: 'someone-else' }));
  });

  it('keeps the lease alive past its TTL while the holder lives', async () => {
    const keyPrefix = `alive-${randomUUID()}:`;
    const backend = createRedisBackend({ address: redis.address, keyPrefix, ttlMs: 400 });
    const lock = await backend.acquireLock({ operation: 'apply' });

    // Three TTLs pass; only heartbeats can keep the key.
    const other = await backend
      .acquireLock({ operation: 'apply' }, { waitMs: 1_200 })
      .catch((e: unknown) => e);
    const written = await lock.update(() => undefined);
    await lock.release();
    await backend.close();

    expect(other).toBeInstanceOf(LockHeldError);
    expect(lock.lost).toBe(false);
    expect(written.serial).toBe(1);
  });

  it('says Redis cannot be reached (a usage error, exit 1) instead of failing obscurely', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const backend = openStateBackend({ backend: 'redis', redis: { address } }, process.cwd());

    const err = await backend.read().catch((e: unknown) => e);
    await backend.close();

    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`cannot reach Redis at ${address}`);
  });
});
