/**
 * A token bucket in front of the LiveKit port: every call takes a token, so resyncs and webhook
 * storms together never exceed `perSecond` calls (with bursts up to `burst`). The wrapper also
 * reports whether LiveKit answered, for `livekit_gitops_livekit_up` and /readyz.
 */
import { LiveKitError } from '../core/errors.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';

export interface TokenBucket {
  take(): Promise<void>;
}

export function createTokenBucket(
  perSecond: number,
  burst: number,
  clock: () => number = () => performance.now(),
): TokenBucket {
  let tokens = burst;
  let last = clock();
  let chain: Promise<void> = Promise.resolve();

  function refill(): void {
    const now = clock();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
    last = now;
  }

  async function takeOne(): Promise<void> {
    refill();
    if (tokens < 1) {
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - tokens) / perSecond) * 1000)));
      refill();
    }
    tokens -= 1;
  }

  return {
    take() {
      // One waiter at a time keeps the order fair (first come, first served).
      chain = chain.then(takeOne, takeOne);
      return chain;
    },
  };
}

/** Whether an error means "LiveKit is not there", as opposed to "LiveKit said no". */
export function isUnreachable(error: unknown): boolean {
  return (
    error instanceof LiveKitError && (error.kind === 'unavailable' || error.kind === 'timeout')
  );
}

/** Settles like `p`, or rejects with the signal's reason as soon as it aborts. */
function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * `halt`: once aborted (the daemon's drain bound passed), waiting and in-flight calls reject at
 * once and new ones are refused, so a reconcile stuck on an unreachable LiveKit (10 s timeouts,
 * retries) ends instead of holding the shutdown. The SDK cannot cancel the request itself.
 */
export function limitedPort(
  port: LiveKitPort,
  bucket: TokenBucket,
  onReach: (up: boolean) => void,
  halt?: AbortSignal,
): LiveKitPort {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await orAbort(bucket.take(), halt);
        try {
          const call = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          const result: unknown = await orAbort(call, halt);
          onReach(true);
          return result;
        } catch (err) {
          if (!halt?.aborted) onReach(!isUnreachable(err));
          throw err;
        }
      };
    },
  });
}
