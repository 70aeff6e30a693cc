import { UsageError } from '../core/errors.ts';
import { DEFAULT_CONNECTION_ENV } from '../spec/config-defaults.ts';
import type { TargetConfig } from '../spec/config-schema.ts';

export interface LiveKitConnection {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/**
 * The connection from the environment: LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, as
 * LiveKit's own `lk` CLI reads them, or the variables a target names. The error names the
 * variables (never a value) and, for a declared target, the target.
 */
export function liveKitConnectionFromEnv(
  env: Record<string, string | undefined>,
  names: TargetConfig['livekit'] = DEFAULT_CONNECTION_ENV,
  target?: string,
): LiveKitConnection {
  const url = env[names.urlEnv];
  const apiKey = env[names.apiKeyEnv];
  const apiSecret = env[names.apiSecretEnv];
  const missing = [
    url ? undefined : names.urlEnv,
    apiKey ? undefined : names.apiKeyEnv,
    apiSecret ? undefined : names.apiSecretEnv,
  ].filter((n): n is string => n !== undefined);
  if (missing.length > 0 || !url || !apiKey || !apiSecret) {
    const whose =
      target === undefined ? 'the LiveKit server' : `the LiveKit server of target ${target}`;
    throw new UsageError(`set ${missing.join(', ')} to reach ${whose}`);
  }
  return { url, apiKey, apiSecret };
}
