import { UsageError } from '../../core/errors.ts';
import type { StateBackend } from './backend.ts';
import { createFileBackend } from './file-backend.ts';
import { withStorageErrors } from './lock-info.ts';
import { createRedisBackend } from './redis-backend.ts';

export interface StateConfig {
  backend: 'file' | 'redis';
  /** File backend directory, relative to cwd; default `.livekit-gitops`. */
  dir?: string;
  redis?: { address: string; keyPrefix?: string; password?: string };
  /** File lock stale period / Redis lease TTL; defaults 20 s / 15 s. */
  lockTtlMs?: number;
}

export const DEFAULT_STATE_DIR = '.livekit-gitops';

export function openStateBackend(config: StateConfig, cwd: string): StateBackend {
  if (config.backend === 'file') {
    return withStorageErrors(
      createFileBackend({
        dir: config.dir ?? DEFAULT_STATE_DIR,
        cwd,
        ...(config.lockTtlMs !== undefined ? { staleMs: config.lockTtlMs } : {}),
      }),
    );
  }
  if (config.backend === 'redis') {
    if (!config.redis?.address) throw new UsageError('the redis state backend needs an address');
    return withStorageErrors(
      createRedisBackend({
        ...config.redis,
        ...(config.lockTtlMs !== undefined ? { ttlMs: config.lockTtlMs } : {}),
      }),
    );
  }
  throw new UsageError(`unknown state backend "${String(config.backend)}" (file or redis)`);
}
