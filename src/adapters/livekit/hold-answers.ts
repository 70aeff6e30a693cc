/**
 * Fault injection for crash-safety tests: the named port method's calls reach the server, and
 * their answers are never handed back (the call hangs), as if the process died between the call
 * and the state write. A test then SIGKILLs the process and checks that a restart converges
 * without a second object. Off unless the CLI is given the method's name.
 */
import type { LiveKitPort } from './port.ts';

export function holdAnswersOf(port: LiveKitPort, method: string | undefined): LiveKitPort {
  if (method === undefined || method === '') return port;
  if (typeof Reflect.get(port, method) !== 'function') {
    throw new Error(`no LiveKit port method ${method} to hold`);
  }
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        return new Promise<never>(() => undefined);
      };
    },
  });
}
