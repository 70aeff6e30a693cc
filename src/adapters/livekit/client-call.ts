/**
 * The adapter's transport: one set of SDK clients per request timeout, every failure mapped to a
 * `LiveKitError` with the credentials scrubbed, and retries only for calls safe to repeat.
 */
import {
  AgentDispatchClient,
  EgressClient,
  IngressClient,
  RoomServiceClient,
  SipClient,
} from 'livekit-server-sdk';
import { LiveKitError } from '../../core/errors.ts';
import { toLiveKitError } from './errors.ts';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.ts';
import { createHttpTransport, useTransport } from './http-transport.ts';
import { reuseSignedTokens } from './token-reuse.ts';

export interface Clients {
  room: RoomServiceClient;
  egress: EgressClient;
  ingress: IngressClient;
  sip: SipClient;
  agent: AgentDispatchClient;
}

/** `retry`: safe to repeat; `once`: a lost answer may have done the work, so never repeated. */
export type Retry = 'retry' | 'once';

export interface CallerOptions {
  /** http(s):// URL of the server. */
  url: string;
  apiKey: string;
  apiSecret: string;
  defaultTimeoutMs: number;
  retry: RetryOptions | false | undefined;
}

export interface Caller {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly defaultTimeoutMs: number;
  readonly call: <T>(
    operation: string,
    mode: Retry,
    fn: (c: Clients) => Promise<T>,
    timeoutMs?: number,
  ) => Promise<T>;
  /** Deletes: "not found" means someone (maybe our own lost attempt) already did it. */
  readonly deleting: (operation: string, fn: (c: Clients) => Promise<unknown>) => Promise<void>;
}

export function createCaller(o: CallerOptions): Caller {
  const { url, apiKey, apiSecret, defaultTimeoutMs } = o;
  const secrets = [apiSecret, apiKey];
  const retry: RetryOptions =
    o.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : (o.retry ?? DEFAULT_RETRY);
  // The SDK fixes the timeout per client (in seconds), so one set of clients per timeout in use.
  const clientSets = new Map<number, Clients>();

  function clients(timeoutMs: number): Clients {
    let c = clientSets.get(timeoutMs);
    if (!c) {
      const opts = { requestTimeout: timeoutMs / 1000, failover: false };
      const transport = createHttpTransport(url, opts.requestTimeout);
      const wrap = <C extends Parameters<typeof reuseSignedTokens>[0]>(client: C): C =>
        reuseSignedTokens(useTransport(client, transport));
      c = {
        room: wrap(new RoomServiceClient(url, apiKey, apiSecret, opts)),
        egress: wrap(new EgressClient(url, apiKey, apiSecret, opts)),
        ingress: wrap(new IngressClient(url, apiKey, apiSecret, opts)),
        sip: wrap(new SipClient(url, apiKey, apiSecret, opts)),
        agent: wrap(new AgentDispatchClient(url, apiKey, apiSecret, opts)),
      };
      clientSets.set(timeoutMs, c);
    }
    return c;
  }

  async function call<T>(
    operation: string,
    mode: Retry,
    fn: (c: Clients) => Promise<T>,
    timeoutMs = defaultTimeoutMs,
  ): Promise<T> {
    const attempt = async (): Promise<T> => {
      try {
        return await fn(clients(timeoutMs));
      } catch (err) {
        throw toLiveKitError(err, operation, secrets);
      }
    };
    return mode === 'retry' ? withRetry(attempt, retry) : attempt();
  }

  async function deleting(operation: string, fn: (c: Clients) => Promise<unknown>): Promise<void> {
    try {
      await call(operation, 'retry', fn);
    } catch (err) {
      if (err instanceof LiveKitError && err.kind === 'not_found') return;
      throw err;
    }
  }

  return { url, apiKey, apiSecret, defaultTimeoutMs, call, deleting };
}
