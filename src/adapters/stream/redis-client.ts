/**
 * A Redis connection for the webhook stream and the shared status documents, on the same Redis
 * (address, password, key prefix) as the Redis state backend.
 */
import { Redis } from 'ioredis';
import { redisTargetOptions } from '../state/redis-address.ts';
import { DEFAULT_REDIS_PREFIX } from '../state/redis-backend.ts';

export interface RedisConnectionOptions {
  address: string;
  password?: string;
  db?: number;
  keyPrefix?: string;
}

export interface RedisConnection {
  client: Redis;
  prefix: string;
  where: string;
  /** Another connection to the same Redis (a blocking read needs its own). */
  duplicate(): Redis;
  close(): Promise<void>;
}

export function openRedisConnection(o: RedisConnectionOptions): RedisConnection {
  const target = redisTargetOptions(o);
  const { host, port } = target;
  const options = {
    ...target,
    // A webhook must get its answer (503 with Retry-After) rather than wait for Redis forever.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 3_000,
  };
  const opened: Redis[] = [];
  const open = (): Redis => {
    const c = new Redis(options);
    // Failures reach callers through the failed commands; unheard, ioredis would print them.
    c.on('error', () => undefined);
    opened.push(c);
    return c;
  };
  const client = open();
  return {
    client,
    prefix: o.keyPrefix ?? DEFAULT_REDIS_PREFIX,
    where: `redis ${host}:${port}`,
    duplicate: open,
    async close() {
      await Promise.all(opened.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
