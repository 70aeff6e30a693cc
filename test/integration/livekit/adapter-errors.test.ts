import { randomBytes } from 'node:crypto';
import { EgressInfo, EgressStatus, RoomCompositeEgressRequest } from '@livekit/protocol';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import { LiveKitError } from '../../../src/core/errors.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { freePort } from '../../harness/free-port.ts';

async function failure(p: Promise<unknown>): Promise<LiveKitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LiveKitError);
    return err as LiveKitError;
  }
  throw new Error('expected a failure');
}

describe('SDK adapter against the real server', () => {
  const env = liveKitEnv();
  const redis = new Redis(`redis://${env.redisAddress}`, { lazyConnect: true });
  afterAll(() => redis.quit());

  it('maps a wrong secret to unauthenticated without leaking the token or secret', async () => {
    const secret = randomBytes(32).toString('base64url');
    const lk = createLiveKitAdapter({ ...env, apiSecret: secret, retry: false });
    const err = await failure(lk.listRooms());
    expect(err.kind).toBe('unauthenticated');
    expect(err.status).toBe(401);
    expect(err.operation).toBe('RoomService.ListRooms');
    expect(err.message).not.toMatch(/eyJ/);
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(secret);
  });

  it('maps a refused connection to unavailable and retries it with backoff', async () => {
    const port = await freePort(); // nothing listens there
    const lk = createLiveKitAdapter({
      url: `http://127.0.0.1:${port}`,
      apiKey: env.apiKey,
      apiSecret: env.apiSecret,
      retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
    });
    const err = await failure(lk.listRooms());
    expect(err.kind).toBe('unavailable');
    expect(err.status).toBe(0);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('times out; retries reads but sends startEgress exactly once', async () => {
    const { createServer } = await import('node:http');
    // Counts requests per Twirp method and never answers.
    const seen = new Map<string, number>();
    const srv = createServer((req) => {
      const m = req.url ?? '';
      seen.set(m, (seen.get(m) ?? 0) + 1);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const addr = srv.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const lk = createLiveKitAdapter({
        url: `http://127.0.0.1:${port}`,
        apiKey: env.apiKey,
        apiSecret: env.apiSecret,
        requestTimeoutMs: 150,
        retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5 },
      });
      expect((await failure(lk.listRooms())).kind).toBe('timeout');
      expect(seen.get('/twirp/livekit.RoomService/ListRooms')).toBe(3);
      const err = await failure(
        lk.startEgress(
          {
            roomName: 'r',
            source: { type: 'roomComposite' },
            outputs: [{ type: 'file', filepath: 'x.mp4' }],
          },
          { timeoutMs: 150 },
        ),
      );
      expect(err.kind).toBe('timeout');
      expect(seen.get('/twirp/livekit.Egress/StartRoomCompositeEgress')).toBe(1);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('listEgress returns every record, converted to plain data', async () => {
    // No egress worker runs here, so egress records are written where livekit-server keeps them
    // (the `egress` hash and `egress:room:<name>` sets in its Redis).
    const room = `egress-list-${randomBytes(3).toString('hex')}`;
    const started = 1_790_000_000_000;
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      const info = new EgressInfo({
        egressId: `EG_seed${room}${i}`,
        roomName: room,
        roomId: 'RM_seed',
        status: i % 2 === 0 ? EgressStatus.EGRESS_ACTIVE : EgressStatus.EGRESS_COMPLETE,
        startedAt: BigInt(started + i) * 1_000_000n,
        request: {
          case: 'roomComposite',
          value: new RoomCompositeEgressRequest({ roomName: room }),
        },
      });
      ids.push(info.egressId);
      await redis.hset('egress', info.egressId, Buffer.from(info.toBinary()));
      await redis.sadd(`egress:room:${room}`, info.egressId);
    }
    try {
      const lk = createLiveKitAdapter(env);
      const all = await lk.listEgress({ roomName: room });
      expect(all.map((e) => e.egressId).sort()).toEqual([...ids].sort());
      const first = all.find((e) => e.egressId === ids[0]);
      expect(first).toMatchObject({
        roomName: room,
        status: 'active',
        source: 'roomComposite',
        startedAtMs: started,
      });
      expect(await lk.listEgress({ roomName: room, active: true })).toHaveLength(75);
      expect((await lk.listEgress()).length).toBeGreaterThanOrEqual(150);
    } finally {
      await redis.hdel('egress', ...ids);
      await redis.del(`egress:room:${room}`);
    }
  });

  it('startEgress has its own timeout: the SDK 10 s default does not decide', async () => {
    const room = `egress-start-${randomBytes(3).toString('hex')}`;
    const lk = createLiveKitAdapter({
      ...env,
      retry: { retries: 5, minTimeoutMs: 1, maxTimeoutMs: 2 },
    });
    await lk.createRoom({ name: room });
    const before = Number(await redis.hlen('egress'));
    // No egress worker: the server would answer "no response from servers" only after >10 s.
    const err = await failure(
      lk.startEgress(
        {
          roomName: room,
          source: { type: 'roomComposite', audioOnly: true },
          outputs: [{ type: 'file', filepath: 'out.ogg', fileType: 'ogg' }],
        },
        { timeoutMs: 300 },
      ),
    );
    expect(err.kind).toBe('timeout');
    expect(err.operation).toBe('Egress.StartEgress');
    expect(Number(await redis.hlen('egress'))).toBe(before);
    await lk.deleteRoom(room);
  });
});
