import { describeLiveKitPortContract } from '../../contract/livekit-port.contract.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { holdable } from '../../fakes/holdable-port.ts';

describeLiveKitPortContract('in-memory fake', () => {
  const fake = new FakeLiveKit();
  return Promise.resolve({
    port: fake,
    join(room, identity, attributes) {
      fake.addParticipant(room, { identity, ...(attributes ? { attributes } : {}) });
      fake.addTrack(room, identity, { source: 'microphone' });
      return Promise.resolve();
    },
    withoutRedis: () => Promise.resolve(new FakeLiveKit({ redis: false })),
  });
});

// The interleaving tests hold and release calls through this wrapper: it must keep the fake's
// semantics for every call it passes through.
describeLiveKitPortContract('in-memory fake behind a holdable wrapper', () => {
  const fake = new FakeLiveKit();
  return Promise.resolve({
    port: holdable(fake).port,
    join(room, identity, attributes) {
      fake.addParticipant(room, { identity, ...(attributes ? { attributes } : {}) });
      fake.addTrack(room, identity, { source: 'microphone' });
      return Promise.resolve();
    },
    withoutRedis: () => Promise.resolve(holdable(new FakeLiveKit({ redis: false })).port),
  });
});
