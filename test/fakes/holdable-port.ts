/**
 * A LiveKitPort wrapper whose calls a test can hold and release, to interleave two runs at exact
 * points. Every other call passes straight through to the wrapped port (the contract-tested fake).
 */
import type { LiveKitPort } from '../../src/adapters/livekit/port.ts';

export interface Hold {
  /** Resolves once the held call was made (it then waits for `release`). */
  readonly reached: Promise<void>;
  release(): void;
}

export interface HoldablePort {
  port: LiveKitPort;
  /** The next call of `method` (through this port) waits until released. */
  hold: (method: keyof LiveKitPort) => Hold;
}

export function holdable(inner: LiveKitPort): HoldablePort {
  const holds = new Map<string, { reached: () => void; released: Promise<void> }>();
  const port = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return async (...args: unknown[]) => {
        const h = holds.get(String(prop));
        if (h) {
          holds.delete(String(prop));
          h.reached();
          await h.released;
        }
        return fn.apply(target, args);
      };
    },
  });
  return {
    port,
    hold(method) {
      let reached!: () => void;
      let release!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const released = new Promise<void>((r) => (release = r));
      holds.set(method, { reached, released });
      return { reached: reachedP, release };
    },
  };
}
