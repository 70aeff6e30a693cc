import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { reassertDeclaredRooms } from '../../../src/daemon/reassert-rooms.ts';
import { createFakeLiveKit } from '../../fakes/fake-livekit.ts';

const log = pino({ level: 'silent' });

describe('reassertDeclaredRooms', () => {
  it('sends CreateRoom with the name only for the declared rooms LiveKit lists', async () => {
    const port = createFakeLiveKit();
    await port.createRoom({ name: 'a', maxParticipants: 5, metadata: 'kept' });
    await port.createRoom({ name: 'b' });
    await port.createRoom({ name: 'client-made' });
    const calls = port.callsOf('createRoom').length;

    const failed = await reassertDeclaredRooms(
      { port, log, concurrency: 4, secretValues: () => [] },
      await port.listRooms(),
      new Set(['a', 'b', 'not-listed']),
    );

    expect(failed).toBe(0);
    const sent = port.callsOf('createRoom').slice(calls);
    expect(
      sent.map((c) => c.args[0]).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([{ name: 'a' }, { name: 'b' }]);
    const a = (await port.listRooms()).find((r) => r.name === 'a');
    expect(a).toMatchObject({ maxParticipants: 5, metadata: 'kept' });
  });

  it('counts the rooms whose call failed and goes on with the others', async () => {
    const port = createFakeLiveKit();
    for (const name of ['a', 'b', 'c']) await port.createRoom({ name });
    port.failNext('createRoom', 1, 'unavailable', 'no response from servers');

    const failed = await reassertDeclaredRooms(
      { port, log, concurrency: 1, secretValues: () => [] },
      await port.listRooms(),
      new Set(['a', 'b', 'c']),
    );

    expect(failed).toBe(1);
    expect(port.callsOf('createRoom').length).toBe(6);
  });
});
