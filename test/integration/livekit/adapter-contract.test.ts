import { afterAll } from 'vitest';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import { describeLiveKitPortContract } from '../../contract/livekit-port.contract.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';

let bare: LiveKitEnv | undefined;
afterAll(async () => {
  await disposeRtc();
  await bare?.stop();
});

describeLiveKitPortContract('SDK adapter on livekit-server', () => {
  const env = liveKitEnv();
  return Promise.resolve({
    port: createLiveKitAdapter(env),
    async join(room, identity, attributes) {
      await joinParticipant(env, {
        room,
        identity,
        publishAudio: true,
        ...(attributes ? { attributes } : {}),
      });
    },
    async withoutRedis() {
      bare = await startLiveKit({ redis: false });
      return createLiveKitAdapter(bare);
    },
  });
});
