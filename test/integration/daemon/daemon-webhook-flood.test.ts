/**
 * Fault row "webhook flood at 5x measured capacity" (Redis backend): a replica's intake capacity
 * is measured, then it is flooded open-loop at five times that rate while the backlog bound is
 * reached. Past the bounds it answers 429/503 with Retry-After, its memory stays bounded, and
 * every event it answered 200 is folded once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';
import { metricValue, waitFor, type DaemonChild } from './daemon-process.ts';
import {
  isReady,
  joinedBody,
  PREFIX,
  post,
  redisClient,
  signed,
  startReplica,
  type WebhookAnswer,
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

const BACKLOG = 300;

describe('fault row: webhook flood at 5x measured capacity', () => {
  it('answers 429/503 with Retry-After past the bounds, stays bounded in memory, loses nothing accepted', async () => {
    const room = `flood-${tag}`;
    // The leader holds its acknowledgements (status writes every 10 min): the backlog fills.
    const leader = await startReplica(env, redis, room, ['--status-flush', '600000']);
    running.push(leader);
    await waitFor('the leader leads', () => isReady(leader), 30_000);
    const replica = await startReplica(env, redis, room, [
      '--webhook-backlog',
      String(BACKLOG),
      '--webhook-in-flight',
      '16',
    ]);
    running.push(replica);

    let n = 0;
    const next = () => signed(joinedBody(`EV_flood_${tag}_${n}`, room, `p${n++}`), env);
    // Capacity: 100 events, 8 at a time.
    const probe = await Promise.all(Array.from({ length: 100 }, next));
    const t0 = performance.now();
    for (let i = 0; i < probe.length; i += 8) {
      await Promise.all(probe.slice(i, i + 8).map((w) => post(replica, w)));
    }
    const capacity = probe.length / ((performance.now() - t0) / 1000);
    const rssBefore = (await metricValue(replica.probeBase, 'process_resident_memory_bytes')) ?? 0;

    // Open loop at 5x for 1 s (bounded count), signed beforehand.
    const count = Math.min(3000, Math.ceil(capacity * 5));
    const flood = await Promise.all(Array.from({ length: count }, next));
    const gap = 1000 / (capacity * 5);
    const answers: Promise<WebhookAnswer & { id: number }>[] = [];
    const start = performance.now();
    for (let i = 0; i < flood.length; i++) {
      const wait = start + i * gap - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      const w = flood[i]!;
      const id = probe.length + i;
      answers.push(
        post(replica, w).then(
          (a) => ({ ...a, id }),
          () => ({ status: 0, retryAfter: null, body: '', id }),
        ),
      );
    }
    const done = await Promise.all(answers);
    const rssAfter = (await metricValue(replica.probeBase, 'process_resident_memory_bytes')) ?? 0;
    const by = (s: number) => done.filter((a) => a.status === s).length;
    console.log(
      `[flood] capacity ${capacity.toFixed(0)}/s, offered ${count} at ${(capacity * 5).toFixed(0)}/s: ` +
        `200 ${by(200)}, 429 ${by(429)}, 503 ${by(503)}, other ${done.length - by(200) - by(429) - by(503)}; ` +
        `rss ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(by(429) + by(503)).toBeGreaterThan(0);
    for (const a of done.filter((x) => x.status === 429 || x.status === 503)) {
      expect(a.retryAfter).toBe('1');
    }
    expect(done.length - by(200) - by(429) - by(503)).toBe(0);
    expect(rssAfter - rssBefore).toBeLessThan(150 * 2 ** 20);

    // Every accepted event is folded once: the leader's last write acknowledges its folds.
    const accepted = new Set(
      done.filter((a) => a.status === 200).map((a) => `EV_flood_${tag}_${a.id}`),
    );
    for (let i = 0; i < probe.length; i++) accepted.add(`EV_flood_${tag}_${i}`);
    expect(accepted.size).toBeLessThanOrEqual(BACKLOG);
    await leader.stop();
    running.splice(running.indexOf(leader), 1);
    await waitFor(
      'the replica leads and the backlog is empty',
      async () => {
        if (!(await isReady(replica))) return false;
        const groups = (await r.xinfo('GROUPS', `${PREFIX}webhooks`)) as unknown[][];
        const g = groups[0] ?? [];
        return g[g.indexOf('pending') + 1] === 0 && g[g.indexOf('lag') + 1] === 0;
      },
      30_000,
    );
    await waitFor('the replica wrote its status', async () => {
      const text = await r.hget(`${PREFIX}status`, `room:${room}`);
      const ids = text ? (JSON.parse(text) as { events: { id: string }[] }).events : [];
      return ids.length > 0;
    });
    const sum = await r.hget(`${PREFIX}status`, 'daemon');
    const seen = new Set((JSON.parse(sum ?? '{}') as { seenEventIds?: string[] }).seenEventIds);
    const missing = [...accepted].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
  });
});
