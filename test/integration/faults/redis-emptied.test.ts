/**
 * Fault row "Redis killed and restarted empty" (docs/reliability.md): the daemon keeps its state in
 * a Redis of its own (not LiveKit's), a recording runs (real livekit-server, the stand-in egress
 * worker, real participants); that Redis is SIGKILLed and started again empty on the same port. A
 * daemon that stopped is started again, as a supervisor would. The state-loss guard must adopt the
 * running egress by its request fingerprint and report it: one egress, never a second recording.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StateDocument } from '../../../src/core/inventory.ts';
import { buildEgressWorker } from '../../harness/egress-worker.ts';
import { disconnectAll, disposeRtc } from '../../harness/participants.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';
import { startRelayedBed, type RelayedBed } from '../recording/daemon-bed.ts';
import { lossBed } from '../recording/state-loss-bed.ts';
import {
  activeIn,
  poll,
  policyYaml,
  roomName,
  workspace,
  type Workspace,
} from '../recording/setup.ts';
import { recordFigures } from './figures.ts';

let redis: RedisInstance | undefined;
let bed: RelayedBed;
const loss = lossBed(() => bed);
const spaces: Workspace[] = [];

beforeAll(async () => {
  await buildEgressWorker();
  bed = await startRelayedBed();
}, 600_000);

afterEach(async () => {
  await disconnectAll();
  await loss.cleanup();
  for (const s of spaces.splice(0)) await s.cleanup();
  await redis?.stop();
  redis = undefined;
});

afterAll(async () => {
  await disposeRtc();
  await bed?.stop();
});

describe('fault: Redis killed and restarted empty', () => {
  it('Redis state killed and restarted empty: one egress, the adoption reported', async () => {
    redis = await startRedis();
    const r = redis;
    const room = roomName('rloss');
    const space = await workspace(bed, { 'rooms/rec.yaml': policyYaml('sales', ['rloss-*']) });
    spaces.push(space);
    const address = `recording.sales.${room}`;
    const client = new Redis({ host: '127.0.0.1', port: r.port, lazyConnect: true });
    // Refused connections while Redis is down are expected: reads then fail and are polled again.
    client.on('error', () => undefined);
    const readState = async (): Promise<StateDocument> => {
      const text = await client.get('livekit-gitops:state');
      if (text === null) throw new Error('no state');
      return JSON.parse(text) as StateDocument;
    };
    // Status documents live in the same Redis; the leader exports them to status/ as files.
    const args = [
      '--state-backend',
      'redis',
      '--redis-address',
      r.address,
      '--status-dir',
      'status',
    ];
    try {
      let d = await loss.start(space, args);
      const { id, worker } = await loss.runningRecording(space, room, readState);
      const lostLineage = (await readState()).lineage;

      await r.restartEmpty();
      const restartedAt = Date.now();
      let restarts = 0;
      // As a supervisor would (systemd Restart=always): a daemon that stopped is started again.
      const state = await poll(
        'the new state owns the same egress',
        async () => {
          if (!d.running()) {
            await loss.stop(d);
            d = await loss.start(space, args);
            restarts++;
          }
          const s = await readState().catch(() => undefined);
          return s?.owned[address]?.serverId === id ? s : undefined;
        },
        60_000,
      );
      const convergedMs = Date.now() - restartedAt;
      expect(state.lineage).not.toBe(lostLineage);
      const reported = await loss.reported(space, id);
      expect(reported).toMatchObject({ lineage: state.lineage, previousLineage: lostLineage });
      await loss.joinAndWait(space, room, 'carol');
      expect((await activeIn(bed.port, room)).map((e) => e.egressId)).toEqual([id]);
      expect(worker.egressIds()).toEqual([id]);
      await recordFigures('Redis killed and restarted empty', {
        lost: 0,
        duplicated: (await activeIn(bed.port, room)).length - 1,
        convergedMs,
        note: `running egress adopted by fingerprint; daemon restarts by the supervisor: ${restarts}`,
      });
    } finally {
      client.disconnect();
    }
  }, 150_000);
});
