import { describeLiveKitPortContract } from '../../contract/livekit-port.contract.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';

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
