/**
 * The fenced leadership lease against a real Redis: a hung Redis (SIGSTOP) under an active
 * daemon with work queued ends its term at the lease deadline, with no LiveKit write after it
 * (checked on the server's room creation times), and the daemon stands by instead of exiting,
 * then leads again once Redis answers. Each change of leadership reaches the notification sink.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startRedis, type RedisInstance } from '../../harness/redis-server.ts';
import { startReceiver } from '../../unit/notify/receiver.ts';
import { startDaemonChild, waitFor, type DaemonChild } from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';
import { recordFigures } from '../faults/figures.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const closers: (() => Promise<void>)[] = [];
let redis: RedisInstance | undefined;

afterEach(async () => {
  redis?.resume();
  await stopDaemons(running);
  for (const c of closers.splice(0)) await c();
});
afterAll(async () => {
  await redis?.stop();
  await deleteTaggedRooms();
});

interface LogLine {
  msg?: string;
  deadline?: number;
  lostAt?: number;
}

function logLines(d: DaemonChild, msg: string): LogLine[] {
  return d
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.msg === msg);
}

async function readyReasons(d: DaemonChild): Promise<string[]> {
  const res = await fetch(`${d.base}/readyz`);
  return ((await res.json()) as { reasons: string[] }).reasons;
}

describe('daemon: fenced leadership lease', () => {
  it('a hung Redis ends the term at the lease deadline: no LiveKit write after it, standby, then leads again', async () => {
    redis = await startRedis();
    const names = Array.from({ length: 40 }, (_, i) => `daemon-lease-${tag}-${i}`);
    const rx = await startReceiver();
    closers.push(rx.close);
    const ws = await makeWorkspace({
      'rooms/many.yaml': names.map((n) => roomYaml(n, { metadata: 'm' })).join('\n---\n'),
      'livekit-gitops.yaml': [
        'notifications:',
        '  sinks:',
        `    - webhook: { url: "${rx.url}", secret: { fromEnv: NOTIFY_HMAC } }`,
        '      events: [leadership]',
        '      dedupWindow: 1s',
        '',
      ].join('\n'),
    });
    const leadership = (): string[] =>
      rx.received.map((r) => {
        const b = JSON.parse(r.body) as { data: { change: string } };
        return b.data.change;
      });
    const d = await startDaemonChild(
      ws,
      env,
      [
        '--interval',
        '1h',
        '--state-backend',
        'redis',
        '--redis-address',
        redis.address,
        '--lease-ttl',
        '3s',
        '--lease-renew',
        '500ms',
        '--lease-margin',
        '1s',
        '--lease-retry',
        '500ms',
        // Slow writes keep work queued when Redis hangs.
        '--rate-limit',
        '4',
        '--rate-burst',
        '1',
      ],
      { NOTIFY_HMAC: `hmac-${tag}` },
    );
    running.push(d);
    await waitFor('some rooms created', async () => (await port.listRooms(names)).length >= 3);

    redis.pause();
    const pausedAt = Date.now();
    await waitFor('the lease is counted as lost', () => {
      return logLines(d, 'leadership lease lost; standing by').length === 1;
    });
    const lost = logLines(d, 'leadership lease lost; standing by')[0]!;
    const deadline = lost.deadline!;
    expect(deadline).toBeGreaterThan(pausedAt - 3000);
    expect(lost.lostAt! - deadline).toBeLessThan(1000);
    expect(await readyReasons(d)).toContain('standby: waiting for the lease');
    expect(d.child.exitCode).toBeNull();

    // Queued work is still pending (40 rooms at 4/s), yet nothing is written after the deadline.
    const settleUntil = Date.now() + 2500;
    await waitFor('a quiet period after the deadline', () => Date.now() > settleUntil, 5000);
    const live = await port.listRooms(names);
    expect(live.length).toBeLessThan(names.length);
    const lastWrite = Math.max(...live.map((r) => r.creationTimeMs));
    console.log(
      `lease: paused Redis at ${pausedAt}, deadline ${deadline} (+${deadline - pausedAt} ms), ` +
        `last room created ${lastWrite} (${deadline - lastWrite} ms before the deadline), ` +
        `lost logged ${lost.lostAt! - deadline} ms after it`,
    );
    expect(lastWrite).toBeLessThanOrEqual(deadline);

    const sidsBefore = new Map(live.map((r) => [r.name, r.sid]));
    redis.resume();
    const resumedAt = Date.now();
    await waitFor(
      'leads again and converges',
      async () => (await fetch(`${d.base}/readyz`)).status === 200,
      30_000,
    );
    // Twice at least: a take answered just as Redis came back may lapse again before it renews.
    expect(logLines(d, 'leadership lease held; reconciling').length).toBeGreaterThanOrEqual(2);
    const convergedMs = Date.now() - resumedAt;
    const after = await port.listRooms(names);
    expect(after.map((r) => r.name).sort()).toEqual([...names].sort());
    // Rooms made before the pause were not made again (the same sid).
    const replaced = after.filter(
      (r) => sidsBefore.has(r.name) && sidsBefore.get(r.name) !== r.sid,
    );
    expect(replaced).toEqual([]);
    await recordFigures('Redis paused past the lease, then back', {
      lost: names.length - after.length,
      duplicated: replaced.length,
      convergedMs,
      note:
        `lease deadline ${deadline - pausedAt} ms after the pause, last server write ` +
        `${deadline - lastWrite} ms before the deadline, loss logged ${lost.lostAt! - deadline} ms after it`,
    });
    await waitFor('leadership notified', () => leadership().length >= 3, 10_000);
    expect(leadership().slice(0, 3)).toEqual(['acquired', 'lost', 'acquired']);
    const bodies = rx.received.map((r) => r.body).join('\n') + d.logs();
    for (const secret of [`hmac-${tag}`, env.apiSecret]) expect(bodies).not.toContain(secret);
  });
});
