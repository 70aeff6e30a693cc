import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../../src/adapters/notify/events.ts';
import { createNotifier, type NotifierOptions } from '../../../src/adapters/notify/notifier.ts';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../../src/adapters/notify/sign.ts';
import type { SinkSettings } from '../../../src/adapters/notify/sinks.ts';
import { startReceiver, until } from './receiver.ts';

const SECRET = 'hmac-key-0123456789';
const drift = (room: string): NotifyEvent => ({
  type: 'drift',
  room,
  actions: [`create room.${room}`],
  corrected: true,
});

function sink(url: string, over: Partial<SinkSettings> = {}): SinkSettings {
  return {
    name: 'test',
    kind: 'webhook',
    url,
    secret: SECRET,
    events: new Set(['drift', 'failed', 'specErrors']),
    dedupMs: 60_000,
    ratePerMinute: 100,
    retries: 3,
    ...over,
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setup(
  statuses: number[],
  over: Partial<SinkSettings>,
  opts: Partial<NotifierOptions> = {},
) {
  const rx = await startReceiver(statuses);
  const registry = new Registry();
  const notifier = createNotifier({
    sinks: [sink(rx.url, over)],
    secretValues: () => ['super-secret-api'],
    registry,
    backoff: { baseMs: 10, maxMs: 40 },
    ...opts,
  });
  closers.push(rx.close, () => notifier.close(0));
  const metric = async (result: string) => {
    const m =
      (await registry.getSingleMetric('livekit_gitops_notifications_total')?.get())?.values ?? [];
    return m.find((v) => v.labels['result'] === result)?.value ?? 0;
  };
  return { rx, notifier, metric };
}

describe('notifier', () => {
  it('signs the JSON body with HMAC-SHA256 over timestamp.body', async () => {
    const { rx, notifier } = await setup([], {});
    notifier.notify(drift('lobby'));
    await until(() => rx.received.length === 1);
    const { body, headers } = rx.received[0]!;
    const ts = headers[TIMESTAMP_HEADER.toLowerCase()] as string;
    const sig = headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, ts, body, sig)).toBe(true);
    expect(verifySignature('other', ts, body, sig)).toBe(false);
    expect(verifySignature(SECRET, ts, body.replace('lobby', 'lobbx'), sig)).toBe(false);
    const parsed = JSON.parse(body) as { type: string; data: { room: string } };
    expect(parsed.type).toBe('drift');
    expect(parsed.data.room).toBe('lobby');
  });

  it('filters by event type and room glob', async () => {
    const { rx, notifier } = await setup([], { rooms: ['team-*'] });
    notifier.notify({ type: 'held', room: 'team-a', reason: 'occupied' }); // type not selected
    notifier.notify(drift('lobby')); // room not selected
    notifier.notify(drift('team-a'));
    notifier.notify({ type: 'specErrors', change: 'cleared', count: 0, errors: [] }); // no room
    await until(() => rx.received.length === 2);
    await notifier.close(1000);
    const types = rx.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types).toEqual(['drift', 'specErrors']);
    expect(rx.received[0]!.body).toContain('team-a');
  });

  it('retries 5xx with backoff and delivers once; gives up after the bound', async () => {
    const a = await setup([500, 503], {});
    a.notifier.notify(drift('r1'));
    await until(() => a.rx.received.length === 1);
    expect(a.rx.attempts()).toBe(3);
    expect(await a.metric('sent')).toBe(1);

    const b = await setup([500, 500, 500], { retries: 2 });
    b.notifier.notify(drift('r2'));
    await until(() => b.rx.attempts() === 3);
    await b.notifier.close(1000);
    expect(b.rx.received).toHaveLength(0);
    expect(b.rx.attempts()).toBe(3);
    expect(await b.metric('failed')).toBe(1);
  });

  it('does not retry a 4xx', async () => {
    const { rx, notifier, metric } = await setup([400], {});
    notifier.notify(drift('r'));
    await until(() => rx.attempts() === 1);
    await notifier.close(1000);
    expect(rx.attempts()).toBe(1);
    expect(await metric('failed')).toBe(1);
  });

  it('sends identical events once within the de-duplication window', async () => {
    const { rx, notifier, metric } = await setup([], {});
    notifier.notify(drift('same'));
    notifier.notify(drift('same'));
    notifier.notify(drift('other'));
    await until(() => rx.received.length === 2);
    await notifier.close(1000);
    expect(rx.received).toHaveLength(2);
    expect(await metric('deduplicated')).toBe(1);
  });

  it('holds deliveries beyond the rate limit and drops what overflows the queue', async () => {
    const { rx, notifier, metric } = await setup([], { ratePerMinute: 2 }, { queueLimit: 3 });
    for (let i = 0; i < 8; i++) notifier.notify(drift(`room-${i}`));
    await until(() => rx.received.length === 2);
    // The third waits for the minute to pass; the queue held three at most, the rest were dropped.
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.received).toHaveLength(2);
    expect(await metric('dropped')).toBeGreaterThanOrEqual(4);
    await notifier.close(0);
  });

  it('never blocks the caller while a sink hangs: the bounded queue drops and counts', async () => {
    const { createServer } = await import('node:http');
    const hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as { port: number }).port;
    closers.push(
      () =>
        new Promise((r) => {
          hanging.closeAllConnections();
          hanging.close(() => r());
        }),
    );
    const registry = new Registry();
    const notifier = createNotifier({
      sinks: [sink(`http://127.0.0.1:${port}/`, { retries: 0 })],
      secretValues: () => [],
      registry,
      queueLimit: 5,
      timeoutMs: 200,
    });
    // notify is synchronous: all 50 calls return while the first delivery still hangs.
    for (let i = 0; i < 50; i++) expect(notifier.notify(drift(`r${i}`))).toBeUndefined();
    const values = (await registry.getSingleMetric('livekit_gitops_notifications_total')?.get())
      ?.values;
    expect(values?.find((v) => v.labels['result'] === 'dropped')?.value).toBe(44);
    await notifier.close(50);
  });

  it('redacts secret values from bodies, raw and JSON-escaped', async () => {
    const { rx, notifier } = await setup(
      [],
      {},
      { secretValues: () => ['super-secret-api', 'a"b\\c'] },
    );
    notifier.notify({
      type: 'failed',
      room: 'r',
      message: 'auth super-secret-api and a"b\\c failed',
    });
    await until(() => rx.received.length === 1);
    const body = rx.received[0]!.body;
    expect(body).not.toContain('super-secret-api');
    expect(body).not.toContain(JSON.stringify('a"b\\c').slice(1, -1));
    expect(body).toContain('(sensitive value)');
  });

  it('sends Slack a text message without signature headers', async () => {
    const { rx, notifier } = await setup([], { kind: 'slack' });
    notifier.notify(drift('lobby'));
    await until(() => rx.received.length === 1);
    const { body, headers } = rx.received[0]!;
    expect(JSON.parse(body)).toEqual({
      text: '[livekit-gitops] Drift in room lobby: create room.lobby (corrected)',
    });
    expect(headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
  });
});
