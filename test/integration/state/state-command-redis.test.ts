import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../../../src/adapters/state/redis-backend.ts';
import { runCli } from '../../harness/cli.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';

let redis: RedisInstance;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('cli/commands/state with the redis backend', () => {
  it('shows the lease holder and breaks the lease with --force', async () => {
    const prefix = `cli-${randomUUID()}:`;
    const backend = createRedisBackend({ address: redis.address, keyPrefix: prefix });
    const lock = await backend.acquireLock({ operation: 'daemon', who: 'bot@node-2' });
    const flags = ['--state-backend', 'redis', '--redis-address', redis.address];
    flags.push('--redis-prefix', prefix);

    const shown = await runCli(['state', 'show', '--format', 'json', ...flags], {
      cwd: process.cwd(),
    });
    const broken = await runCli(['state', 'unlock', lock.id, '--force', ...flags], {
      cwd: process.cwd(),
    });
    const after = await backend.currentLock();
    const refused = await lock.update(() => undefined).catch((e: unknown) => e);
    await lock.release();
    await backend.close();

    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ serial: 0, lock: lock.info });
    expect(broken.code).toBe(0);
    expect(after).toBeUndefined();
    expect(refused).toBeInstanceOf(Error);
  });
});
