/**
 * The state-loss tests' bed: a relayed livekit-server with its own Redis, the stand-in egress
 * worker, real participants and daemon children; a recording is started and owned before the
 * state is lost.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { DaemonStatus } from '../../../src/adapters/status/daemon-status.ts';
import type { StateDocument } from '../../../src/core/inventory.ts';
import { startEgressWorker, type EgressWorker } from '../../harness/egress-worker.ts';
import {
  roomStatus,
  startRecordingDaemon,
  type RecordingDaemon,
  type RelayedBed,
} from './daemon-bed.ts';
import { activeIn, joinAll, poll, type Workspace } from './setup.ts';

export async function daemonStatus(dir: string): Promise<DaemonStatus | undefined> {
  const text = await readFile(join(dir, 'status', '_daemon.yaml'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (parse(text) as DaemonStatus);
}

export interface LossBed {
  start(space: Workspace, args?: string[]): Promise<RecordingDaemon>;
  stop(d: RecordingDaemon): Promise<void>;
  /** Two participants, one ACTIVE egress of policy `sales` that the state owns. */
  runningRecording(
    space: Workspace,
    room: string,
    state: () => Promise<StateDocument>,
  ): Promise<{ id: string; worker: EgressWorker }>;
  /** Waits for the adoption of `id` in `_daemon.yaml`. */
  reported(space: Workspace, id: string): Promise<NonNullable<DaemonStatus['stateLoss']>>;
  /** One more participant and the reconcile it causes (seen in the room's status). */
  joinAndWait(space: Workspace, room: string, identity: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function lossBed(bed: () => RelayedBed): LossBed {
  const workers: EgressWorker[] = [];
  const daemons: RecordingDaemon[] = [];
  return {
    async start(space, args = []) {
      const d = await startRecordingDaemon(bed(), space.dir, space.env, [
        '--interval',
        '1h',
        ...args,
      ]);
      daemons.push(d);
      return d;
    },
    async stop(d) {
      daemons.splice(daemons.indexOf(d), 1);
      await d.stop();
    },
    async runningRecording(space, room, state) {
      const w = await startEgressWorker({ redisAddress: bed().lk.redisAddress, log: 'info' });
      workers.push(w);
      await joinAll(bed(), room, ['alice', 'bob']);
      const [egress] = await poll('one active egress', async () => {
        const list = await activeIn(bed().port, room);
        return list.length === 1 && list[0]?.status === 'active' ? list : undefined;
      });
      const id = egress!.egressId;
      await poll('the state owns it', async () => {
        const s = await state().catch(() => undefined);
        return s?.owned[`recording.sales.${room}`]?.serverId === id;
      });
      return { id, worker: w };
    },
    reported: (space, id) =>
      poll('_daemon.yaml reports the adoption', async () => {
        const st = await daemonStatus(space.dir);
        return st?.stateLoss?.adopted.some((a) => a.serverId === id) ? st.stateLoss : undefined;
      }),
    async joinAndWait(space, room, identity) {
      await joinAll(bed(), room, [identity]);
      await poll(`${identity} seen`, async () =>
        (await roomStatus(space.dir, room))?.participants.some((p) => p.identity === identity),
      );
    },
    async cleanup() {
      for (const d of daemons.splice(0)) await d.stop();
      for (const w of workers.splice(0)) await w.kill();
    },
  };
}
