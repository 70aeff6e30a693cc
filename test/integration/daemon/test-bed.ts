/**
 * What every daemon test file starts from: the shared livekit-server of the global setup, a port
 * on it, a tag its room names carry, and the clean-ups its hooks call. Kept apart from
 * daemon-process.ts because this imports vitest (inject) and the benchmarks import that one.
 */
import { randomBytes } from 'node:crypto';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import { liveKitEnv, type ProvidedLiveKit } from '../../harness/env.ts';
import { serverPort, type DaemonChild } from './daemon-process.ts';

export interface DaemonTestBed {
  env: ProvidedLiveKit;
  port: LiveKitPort;
  /** Random per file, so parallel files and earlier runs never clean up each other's rooms. */
  tag: string;
  /** Deletes the rooms on the server whose names carry the tag. */
  deleteTaggedRooms: () => Promise<void>;
}

export function daemonTestBed(): DaemonTestBed {
  const env = liveKitEnv();
  const port = serverPort(env);
  const tag = randomBytes(3).toString('hex');
  return {
    env,
    port,
    tag,
    async deleteTaggedRooms() {
      const rooms = await port.listRooms();
      await Promise.all(
        rooms.filter((r) => r.name.includes(tag)).map((r) => port.deleteRoom(r.name)),
      );
    },
  };
}

/** Stops (SIGTERM, bounded) and forgets every daemon in the list, one after another. */
export async function stopDaemons(running: DaemonChild[]): Promise<void> {
  for (const d of running.splice(0)) await d.stop();
}
