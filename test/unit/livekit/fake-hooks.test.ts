import { describe, expect, it } from 'vitest';
import { LiveKitError } from '../../../src/core/errors.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';

describe('FakeLiveKit test hooks', () => {
  it('injects failures for the next N calls of a method', async () => {
    const fake = new FakeLiveKit();
    fake.failNext('createRoom', 2, 'unavailable');
    await expect(fake.createRoom({ name: 'a' })).rejects.toBeInstanceOf(LiveKitError);
    await expect(fake.createRoom({ name: 'a' })).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(fake.createRoom({ name: 'a' })).resolves.toMatchObject({ name: 'a' });
    expect(fake.callsOf('createRoom')).toHaveLength(3);
  });

  it('runs an egress through its life and refuses to stop an ended one', async () => {
    const fake = new FakeLiveKit({ now: () => 1_000 });
    fake.addParticipant('town-hall', { identity: 'host' });
    fake.addTrack('town-hall', 'host', { source: 'microphone' });
    const e = await fake.startEgress({
      roomName: 'town-hall',
      source: { type: 'roomComposite' },
      outputs: [{ type: 'file', filepath: 'x.mp4' }],
    });
    expect(e.status).toBe('starting');
    fake.setEgressStatus(e.egressId, 'active');
    expect((await fake.listRooms(['town-hall']))[0]).toMatchObject({
      numParticipants: 1,
      numPublishers: 1,
      activeRecording: true,
    });
    expect(await fake.listEgress({ active: true })).toHaveLength(1);
    expect((await fake.stopEgress(e.egressId)).status).toBe('ending');
    expect(await fake.listEgress({ active: true })).toEqual([]);
    await expect(fake.stopEgress(e.egressId)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(
      fake.startEgress({
        roomName: 'nowhere',
        source: { type: 'roomComposite' },
        outputs: [{ type: 'file' }],
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('drops tracks when publishing is revoked, like LiveKit', async () => {
    const fake = new FakeLiveKit();
    fake.addParticipant('r', { identity: 'p' });
    fake.addTrack('r', 'p', { source: 'camera' });
    const p = await fake.updateParticipant('r', 'p', { permission: { canSubscribe: true } });
    expect(p.tracks).toEqual([]);
    expect(p.isPublisher).toBe(false);
  });
});
