/** The config a project without livekit-gitops.yaml gets (no typebox at run time). */
import type { ProjectConfig, TargetConfig } from './config-schema.ts';

export const DEFAULT_CONFIG: ProjectConfig = {
  specPaths: ['rooms'],
  stateDir: '.livekit-gitops',
  statusDir: 'status',
  state: { backend: 'file' },
  prune: false,
  maxDeletes: 10,
  concurrency: 16,
  daemon: {
    listen: '127.0.0.1:8080',
    interval: '5m',
    webhookPath: '/webhook',
    statusRetention: '24h',
  },
  targets: [],
  declaredTargets: false,
};

/** A target's connection variables unless it names others (as LiveKit's own `lk` CLI reads them). */
export const DEFAULT_CONNECTION_ENV: TargetConfig['livekit'] = {
  urlEnv: 'LIVEKIT_URL',
  apiKeyEnv: 'LIVEKIT_API_KEY',
  apiSecretEnv: 'LIVEKIT_API_SECRET',
};
