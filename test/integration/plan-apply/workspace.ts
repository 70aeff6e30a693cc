/**
 * A spec workspace for plan/apply tests: a temp dir with a config file, spec files, and helpers to
 * run the CLI in it against the shared livekit-server, with the file or the Redis state backend.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { openStateBackend, type StateConfig } from '../../../src/adapters/state/open-backend.ts';
import type { StateBackend } from '../../../src/adapters/state/backend.ts';
import {
  liveKitCliEnv,
  makeWorkspace,
  roomYaml,
  runCli,
  writeFiles,
  type CliResult,
} from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';

export type BackendKind = 'file' | 'redis';

export interface Workspace {
  dir: string;
  /** A unique room-name prefix, so tests sharing one server never see each other's rooms. */
  prefix: string;
  backend: BackendKind;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  writeRooms(rooms: Record<string, Record<string, unknown>>, file?: string): Promise<void>;
  writeConfig(extra?: Record<string, unknown>): Promise<void>;
  state(): StateBackend;
  rooms: RoomServiceClient;
  /** Live rooms of this workspace (by prefix), sorted by name. */
  liveRooms(): Promise<Awaited<ReturnType<RoomServiceClient['listRooms']>>>;
  cleanup(): Promise<void>;
}

export async function createWorkspace(backend: BackendKind): Promise<Workspace> {
  const lk = liveKitEnv();
  const prefix = `t${randomBytes(3).toString('hex')}-`;
  const dir = await makeWorkspace({});
  const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
  const stateConfig: StateConfig =
    backend === 'file'
      ? { backend: 'file', dir: join(dir, '.livekit-gitops') }
      : { backend: 'redis', redis: { address: lk.redisAddress, keyPrefix: `${prefix}state:` } };
  const ws: Workspace = {
    dir,
    prefix,
    backend,
    rooms,
    cli: (args, env) => runCli(args, { cwd: dir, env: { ...liveKitCliEnv(lk), ...env } }),
    async writeRooms(specs, file = 'rooms/rooms.yaml') {
      const docs = Object.entries(specs).map(([name, spec]) => roomYaml(prefix + name, spec));
      await writeFiles(dir, { [file]: docs.join('\n---\n') + '\n' });
    },
    async writeConfig(extra = {}) {
      const state =
        backend === 'file'
          ? { backend: 'file' }
          : { backend: 'redis', redis: { address: lk.redisAddress, keyPrefix: `${prefix}state:` } };
      await writeFiles(dir, { 'livekit-gitops.yaml': JSON.stringify({ state, ...extra }) + '\n' });
    },
    state: () => openStateBackend(stateConfig, dir),
    async liveRooms() {
      const all = await rooms.listRooms();
      return all
        .filter((r) => r.name.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async cleanup() {
      const mine = await ws.liveRooms();
      await Promise.all(mine.map((r) => rooms.deleteRoom(r.name).catch(() => undefined)));
      await rm(dir, { recursive: true, force: true });
    },
  };
  await ws.writeConfig();
  return ws;
}
