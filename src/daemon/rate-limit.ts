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

export function limitedPort(
  port: LiveKitPort,
  bucket: TokenBucket,
  onReach: (up: boolean) => void,
): LiveKitPort {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await bucket.take();
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
            target,
            args,
          );
          onReach(true);
          return result;
        } catch (err) {
          onReach(!isUnreachable(err));
          throw err;
        }
      };
    },
  });
}
