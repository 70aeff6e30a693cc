import { Room } from '@livekit/rtc-node';
import { TrackSource } from '@livekit/protocol';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeRtc } from '../../harness/participants.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';
import { byIdentity, doc, roomService, waitForParticipants, writeSpecs } from './helpers.ts';

afterAll(async () => {
  await disposeRtc();
});

describe('token --role (real server)', () => {
  let ws: Workspace;
  const lk = liveKitEnv();
  const joined: Room[] = [];

  beforeEach(async () => {
    ws = await createWorkspace('file');
  });

  afterEach(async () => {
    await Promise.allSettled(joined.splice(0).map((r) => r.disconnect()));
    await ws.cleanup();
  });

  it("joins with the Role's grants, and the first join creates the declared room", async () => {
    const room = `${ws.prefix}town-hall`;
    await writeSpecs(ws.dir, [
      doc('Role', 'speaker', {
        grants: {
          canPublish: true,
          canSubscribe: true,
          canPublishData: false,
          canPublishSources: ['microphone'],
        },
        ttl: '2h',
        attributes: { role: 'speaker' },
      }),
      doc('Room', room, {
        maxParticipants: 7,
        emptyTimeout: 123,
        departureTimeout: 45,
        metadata: 'declared',
      }),
    ]);
    expect(await roomService().listRooms([room])).toEqual([]);

    const minted = await ws.cli([
      'token',
      '--room',
      room,
      '--identity',
      'speaker-1',
      '--role',
      'speaker',
      '--name',
      'Speaker One',
      '--format',
      'json',
    ]);
    expect(minted.stderr).toBe('');
    expect(minted.code).toBe(0);
    expect(minted.stdout).not.toContain(lk.apiSecret);
    const out = JSON.parse(minted.stdout) as { token: string; roomConfig: unknown };
    const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(out.token);
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(7200);

    const client = new Room();
    joined.push(client);
    await client.connect(lk.wsUrl, out.token, { autoSubscribe: false, dynacast: false });

    const [created] = await roomService().listRooms([room]);
    expect(created).toMatchObject({
      maxParticipants: 7,
      emptyTimeout: 123,
      departureTimeout: 45,
      metadata: 'declared',
    });
    const ps = await waitForParticipants(
      room,
      (list) => byIdentity(list, 'speaker-1') !== undefined,
    );
    const me = byIdentity(ps, 'speaker-1');
    expect(me?.name).toBe('Speaker One');
    expect(me?.attributes).toEqual({ role: 'speaker' });
    expect(me?.permission).toMatchObject({
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
      canPublishSources: [TrackSource.MICROPHONE],
    });
  });

  it('refuses an unknown role with a hint, and never prints the secret', async () => {
    await writeSpecs(ws.dir, [doc('Role', 'speaker', { grants: { canPublish: true } })]);

    const r = await ws.cli(['token', '--room', 'x', '--identity', 'i', '--role', 'speakr']);

    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no Role named 'speakr' (did you mean 'speaker'?)");
    expect(r.stdout + r.stderr).not.toContain(lk.apiSecret);
  });
});
