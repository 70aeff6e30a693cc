import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../../../src/adapters/state/redis-backend.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

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

    const shown = await cli(['state', 'show', '--format', 'json', ...flags]);
    const broken = await cli(['state', 'unlock', lock.id, '--force', ...flags]);
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
