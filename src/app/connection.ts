import { UsageError } from '../core/errors.ts';

export interface LiveKitConnection {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, as LiveKit's own `lk` CLI reads them. */
export function liveKitConnectionFromEnv(
  env: Record<string, string | undefined>,
): LiveKitConnection {
  const url = env['LIVEKIT_URL'];
  const apiKey = env['LIVEKIT_API_KEY'];
  const apiSecret = env['LIVEKIT_API_SECRET'];
  const missing = [
    url ? undefined : 'LIVEKIT_URL',
    apiKey ? undefined : 'LIVEKIT_API_KEY',
    apiSecret ? undefined : 'LIVEKIT_API_SECRET',
  ].filter((n): n is string => n !== undefined);
  if (missing.length > 0 || !url || !apiKey || !apiSecret) {
    throw new UsageError(`set ${missing.join(', ')} to reach the LiveKit server`);
  }
  return { url, apiKey, apiSecret };
}
