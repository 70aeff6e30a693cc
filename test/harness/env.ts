import { inject } from 'vitest';
import type { ProvidedLiveKit } from './global-setup.ts';

export type { ProvidedLiveKit };

/** The shared livekit-server, Redis and webhook relay the global setup started. */
export function liveKitEnv(): ProvidedLiveKit {
  return inject('livekit');
}
