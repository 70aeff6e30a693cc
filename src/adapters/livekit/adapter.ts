/**
 * The LiveKit port on livekit-server-sdk, composed of one method group per LiveKit service
 * (rooms and participants, egress, ingress, SIP, agent dispatch) over one shared transport (client-call.ts).
 * A new service adds its own `*-methods.ts` and one line here.
 */
import { agentDispatchMethods } from './agent-dispatch-methods.ts';
import { createCaller } from './client-call.ts';
import { egressMethods } from './egress-methods.ts';
import { ingressMethods } from './ingress-methods.ts';
import type { LiveKitPort } from './port.ts';
import type { RetryOptions } from './retry.ts';
import { roomMethods } from './room-methods.ts';
import { sipMethods } from './sip-methods.ts';

export interface LiveKitAdapterOptions {
  /** http(s):// or ws(s):// URL of the server. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Per request; default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * StartEgress only; default 30 000 ms. Without an egress worker the server itself takes over 10 s
   * to answer `no response from servers`, so the SDK's 10 s default must not decide.
   */
  startEgressTimeoutMs?: number;
  /** Backoff for calls safe to repeat; `false` disables retries. */
  retry?: RetryOptions | false;
}

/** The LiveKit port on livekit-server-sdk. Every method throws LiveKitError and nothing else. */
export function createLiveKitAdapter(opts: LiveKitAdapterOptions): LiveKitPort {
  const caller = createCaller({
    url: opts.url.replace(/^ws/, 'http'),
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    defaultTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    retry: opts.retry,
  });
  return {
    ...roomMethods(caller),
    ...egressMethods(caller, { startEgressTimeoutMs: opts.startEgressTimeoutMs ?? 30_000 }),
    ...ingressMethods(caller),
    ...sipMethods(caller),
    ...agentDispatchMethods(caller),
  };
}
