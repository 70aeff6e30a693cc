/**
 * Every replica takes webhooks (Redis backend): two daemon processes on one Redis, LiveKit-signed
 * webhooks posted to both; each event is folded once by the leader, the standby answers 200, the
 * status documents are the same from anywhere, and an event the leader read but had not yet
 * persisted when it was SIGKILLed is folded by the next leader.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { liveKitCliEnv, makeWorkspace, runCli } from '../../harness/cli.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';
import { metricValue, waitFor, type DaemonChild } from './daemon-process.ts';
import {
  foldedTimes,
  isReady,
  joinedBody,
  pendingByConsumer,
  post,
  redisClient,
  signed,
  startReplica,
} from './replicas.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
let redis: RedisInstance;
let r: Redis;

beforeAll(async () => {
  redis = await startRedis();
  r = redisClient(redis);
});
afterEach(() => stopDaemons(running));
afterAll(async () => {
  r.disconnect();
  await redis.stop();
  await deleteTaggedRooms();
});

/** Starts two replicas, the first one leading; returns [leader, standby]. */
async function pair(room: string, leaderArgs: string[] = []): Promise<[DaemonChild, DaemonChild]> {
  const leader = await startReplica(env, redis, room, leaderArgs);
  running.push(leader);
  await waitFor('the first replica leads', () => isReady(leader), 30_000);
  const standby = await startReplica(env, redis, room);
  running.push(standby);
  return [leader, standby];
}

describe('daemon replicas: every replica takes webhooks through the Redis stream', () => {
  it('folds an event posted to both replicas once; the standby answers 200; status reads the same from anywhere', async () => {
    const room = `replicas-${tag}`;
    const [leader, standby] = await pair(room);
    expect(await isReady(standby)).toBe(false);

    // LiveKit configured with both URLs: the same event reaches each replica.
    const both = await signed(joinedBody(`EV_both_${tag}`, room, 'alice'), env);
    const answers = await Promise.all([post(leader, both), post(standby, both)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort()).toEqual([
      'accepted',
      'duplicate',
    ]);
    // A retry landing on the standby later is a duplicate too.
    expect(JSON.parse((await post(standby, both)).body)).toMatchObject({ status: 'duplicate' });

    // An event only the standby received: 200 there, folded by the leader.
    const onlyStandby = await signed(joinedBody(`EV_standby_${tag}`, room, 'bob'), env);
    expect((await post(standby, onlyStandby)).status).toBe(200);

    await waitFor('both events folded into the shared status', async () => {
      return (
        (await foldedTimes(r, room, `EV_both_${tag}`)) === 1 &&
        (await foldedTimes(r, room, `EV_standby_${tag}`)) === 1
      );
    });
    const folded = `livekit_gitops_webhook_events_total{event="participant_joined",outcome="folded"}`;
    expect(await metricValue(leader.probeBase, folded)).toBe(2);
    expect(await metricValue(standby.probeBase, folded)).toBeUndefined();
    await waitFor('every entry acknowledged', async () => {
      const pending = await pendingByConsumer(r);
      return Object.values(pending).every((n) => n === 0);
    });

    // `status` from a directory with no status files, as from another machine.
    const elsewhere = await makeWorkspace({});
    const out = await runCli(
      [
        'status',
        room,
        '--format',
        'json',
        '--state-backend',
        'redis',
        '--redis-address',
        redis.address,
      ],
      { cwd: elsewhere, env: liveKitCliEnv(env) },
    );
    expect(out.code, out.stderr).toBe(0);
    const row = JSON.parse(out.stdout) as { file?: { events: { id: string }[] } };
    expect(row.file?.events.map((e) => e.id)).toEqual(
      expect.arrayContaining([`EV_both_${tag}`, `EV_standby_${tag}`]),
    );

    // A bad signature is still refused on a standby, and nothing is appended.
    const forged = await signed(joinedBody(`EV_forged_${tag}`, room, 'eve'), {
      apiKey: env.apiKey,
      apiSecret: 'not-the-secret-at-all-0123456789',
    });
    expect((await post(standby, forged)).status).toBe(401);
    expect(await r.exists(`livekit-gitops:webhook-id:EV_forged_${tag}`)).toBe(0);
  });

  it('a leader SIGKILLed with an event read but not persisted: the next leader folds it once', async () => {
    const room = `replicas-kill-${tag}`;
    // The leader's status writes (which acknowledge its folds) wait 10 min: nothing it folds
    // persists before the kill.
    const [leader, standby] = await pair(room, ['--status-flush', '600000']);
    const w = await signed(joinedBody(`EV_kill_${tag}`, room, 'carol'), env);
    expect((await post(standby, w)).status).toBe(200);
    await waitFor('the leader read the entry (pending, unacknowledged)', async () => {
      const pending = await pendingByConsumer(r);
      return Object.values(pending).reduce((a, b) => a + b, 0) === 1;
    });
    const folded = `livekit_gitops_webhook_events_total{event="participant_joined",outcome="folded"}`;
    expect(await metricValue(leader.probeBase, folded)).toBe(1);
    expect(await foldedTimes(r, room, `EV_kill_${tag}`)).toBe(0);

    await leader.kill();
    running.splice(running.indexOf(leader), 1);
    await waitFor('the standby leads', () => isReady(standby), 30_000);
    await waitFor('the new leader folded the pending event', async () => {
      return (await foldedTimes(r, room, `EV_kill_${tag}`)) === 1;
    });
    await waitFor('nothing left pending', async () => {
      const pending = await pendingByConsumer(r);
      return Object.values(pending).every((n) => n === 0);
    });
    expect(await foldedTimes(r, room, `EV_kill_${tag}`)).toBe(1);
    expect(standby.logs()).toContain('folding webhooks a previous leader left pending');
  });
});
