import { describeAgentDispatchContract } from '../../contract/agent-dispatch.contract.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';

describeAgentDispatchContract('in-memory fake', () => {
  const fake = new FakeLiveKit();
  return Promise.resolve({
    port: fake,
    startAgent(agentName) {
      fake.registerAgent(agentName);
      return Promise.resolve();
    },
  });
});
