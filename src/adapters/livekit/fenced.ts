/**
 * A LiveKit port fenced by a lease: a write (every method but `list*`/`get*`) starts only before
 * `writeUntil()`, and once `signal` aborts every call still waiting or in flight rejects and its
 * HTTP request is aborted. The port's methods take no AbortSignal, so the signal travels in an
 * AsyncLocalStorage: the adapter's HTTP transport reads it (currentCallSignal) and destroys its
 * request; SDK calls still made with the global `fetch` get it through a wrapper that adds it
 * to the request's own timeout signal. Calls made outside a fenced port are untouched.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LiveKitError } from '../../core/errors.ts';
import type { LiveKitPort } from './port.ts';

export interface Fence {
  /** Aborted when the holder must stop at once (lease deadline, shutdown). */
  signal: AbortSignal;
  /** Epoch ms after which no write may start. */
  writeUntil(): number;
}

const callSignal = new AsyncLocalStorage<AbortSignal>();

/** The signal of the fenced call running now, for transports that send requests themselves. */
export function currentCallSignal(): AbortSignal | undefined {
  return callSignal.getStore();
}
let installed = false;

/** Wraps the global fetch once: requests made under a fenced call carry its signal. */
function installFetchSignal(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const signal = callSignal.getStore();
    if (!signal) return original(input, init);
    const own = init?.signal;
    return original(input, { ...init, signal: own ? AbortSignal.any([own, signal]) : signal });
  };
}

export function isWrite(method: string): boolean {
  return !method.startsWith('list') && !method.startsWith('get');
}

function fenced(method: string, reason: unknown): LiveKitError {
  const why = reason instanceof Error ? reason.message : 'the lease fence is closed';
  // Not 'unavailable': LiveKit is fine, this holder may no longer talk to it.
  return new LiveKitError('internal', method, `${method} not sent or abandoned: ${why}`);
}

/** Settles like `p`, or rejects as soon as `signal` aborts. */
function orAbort<T>(p: Promise<T>, signal: AbortSignal, method: string): Promise<T> {
  if (signal.aborted) return Promise.reject(fenced(method, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(fenced(method, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function fencedPort(port: LiveKitPort, fence: Fence): LiveKitPort {
  installFetchSignal();
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        if (fence.signal.aborted) return Promise.reject(fenced(prop, fence.signal.reason));
        if (isWrite(prop) && Date.now() >= fence.writeUntil()) {
          return Promise.reject(fenced(prop, new Error('the lease deadline is too near')));
        }
        const call = callSignal.run(fence.signal, () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
        );
        return orAbort(call, fence.signal, prop);
      };
    },
  });
}
