import { UsageError } from '../../core/errors.ts';

export interface RedisTarget {
  address: string;
  password?: string;
  db?: number;
}

export function splitAddress(address: string): { host: string; port: number } {
  const m = /^(?:redis:\/\/)?\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!m?.[1] || !m[2]) throw new UsageError(`redis address must be HOST:PORT, got "${address}"`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * The ioredis options naming one Redis (where and as whom), shared by the state backend and the
 * webhook stream; each caller adds its own retry and timeout policy.
 */
export function redisTargetOptions(t: RedisTarget): {
  host: string;
  port: number;
  password?: string;
  db?: number;
  lazyConnect: true;
} {
  const { host, port } = splitAddress(t.address);
  return {
    host,
    port,
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(t.db !== undefined ? { db: t.db } : {}),
    lazyConnect: true,
  };
}
