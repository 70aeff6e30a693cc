import type { TestProject } from 'vitest/node';
import { startLiveKit, type LiveKitEnv } from './livekit-server.ts';
import { startRedis, type RedisInstance } from './redis-server.ts';
import { startWebhookRelay, type WebhookRelay } from './webhook-relay.ts';
import { buildEgressWorker } from './egress-worker.ts';
import { installAgentWorker } from './agent-worker.ts';

/** What integration tests get through `inject('livekit')` (see env.ts). */
export interface ProvidedLiveKit {
  url: string;
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  redisAddress: string;
  /** Base URL of the webhook relay's control API (see webhook-client.ts). */
  relayUrl: string;
  version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    livekit: ProvidedLiveKit;
  }
}

const LOG_TAIL = 8_000;

/**
 * Starts Redis, the webhook relay and livekit-server once for the integration project; stops all
 * of them at the end, also when tests fail. Never skips: no server, no green run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let redis: RedisInstance | undefined;
  let relay: WebhookRelay | undefined;
  let livekit: LiveKitEnv | undefined;

  async function stopAll(): Promise<void> {
    const results = await Promise.allSettled([livekit?.stop(), relay?.stop()]);
    await redis?.stop();
    for (const r of results) if (r.status === 'rejected') console.error(r.reason);
  }

  try {
    // Recording tests need the stand-in egress worker; scripts/setup.sh builds it ahead, and this
    // reuses that build (a cold Go build takes about two minutes).
    await buildEgressWorker();
    // Agent tests need the @livekit/agents worker package; setup.sh installs it, this reuses it.
    await installAgentWorker();
    redis = await startRedis();
    relay = await startWebhookRelay();
    livekit = await startLiveKit({ redisAddress: redis.address, webhookUrls: [relay.webhookUrl] });
  } catch (err) {
    await stopAll();
    throw err;
  }
  console.log(`livekit-server ${livekit.version} on ${new URL(livekit.url).host}`);

  project.provide('livekit', {
    url: livekit.url,
    wsUrl: livekit.wsUrl,
    apiKey: livekit.apiKey,
    apiSecret: livekit.apiSecret,
    redisAddress: livekit.redisAddress,
    relayUrl: relay.url,
    version: livekit.version,
  });

  const server = livekit;
  return async function teardown(): Promise<void> {
    const state = project.vitest.state;
    const failed = state.getCountOfFailedTests() > 0 || state.getFailedFilepaths().length > 0;
    if (failed) {
      console.error(`--- livekit-server log (last ${LOG_TAIL} chars) ---`);
      console.error(server.log().slice(-LOG_TAIL));
    }
    await stopAll();
  };
}
