import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { describeInterleavedReconciles } from '../../contract/interleaved-reconciles.contract.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describeInterleavedReconciles('redis', (dir) =>
  openStateBackend(
    { backend: 'redis', redis: { address: redis.address, keyPrefix: `test-${randomUUID()}:` } },
    dir,
  ),
);
