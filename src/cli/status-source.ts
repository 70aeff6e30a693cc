/**
 * Where `livekit-gitops status` reads status documents: Redis with the Redis state backend (the
 * same documents on every machine and replica), unless `--status-dir` names a directory; files
 * otherwise.
 */
import { resolve } from 'node:path';
import type { DaemonStatus } from '../adapters/status/daemon-status.ts';
import { redisStatusSink } from '../adapters/status/redis-status.ts';
import type { RoomStatus } from '../adapters/status/room-status.ts';
import { readStatusDir } from '../adapters/status/status-store.ts';
import { openRedisConnection } from '../adapters/stream/redis-client.ts';
import type { ProjectConfig } from '../spec/config-schema.ts';
import type { CommandContext } from './command-context.ts';
import { stateConfigFor, type ProjectFlags } from './project-context.ts';

export interface StatusDocuments {
  rooms: RoomStatus[];
  daemon: DaemonStatus | undefined;
}

export async function readStatusDocuments(
  ctx: CommandContext,
  config: ProjectConfig,
  flags: ProjectFlags & { statusDir?: string },
): Promise<StatusDocuments> {
  const state =
    flags.statusDir === undefined
      ? stateConfigFor(config, flags, ctx.io.env, ctx.io.cwd)
      : undefined;
  if (state?.backend !== 'redis' || !state.redis) {
    return readStatusDir(resolve(ctx.io.cwd, flags.statusDir ?? config.statusDir));
  }
  const connection = openRedisConnection(state.redis);
  try {
    const sink = redisStatusSink({ client: connection.client, prefix: connection.prefix });
    return await sink.readAll();
  } finally {
    await connection.close();
  }
}
