import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import { describeAgentDispatchContract } from '../../contract/agent-dispatch.contract.ts';
import { startAgentWorker, type AgentWorker } from '../../harness/agent-worker.ts';
import { liveKitEnv } from '../../harness/env.ts';

describeAgentDispatchContract('SDK adapter on livekit-server with a real agent worker', () => {
  const env = liveKitEnv();
  const workers: AgentWorker[] = [];
  return Promise.resolve({
    port: createLiveKitAdapter(env),
    async startAgent(agentName) {
      workers.push(await startAgentWorker({ ...env, agentName }));
    },
    async dispose() {
      await Promise.all(workers.map((w) => w.stop()));
    },
  });
});
