import Type, { type Static } from 'typebox';
import { closed, duration, FromEnv, FromFile, SecretRef } from './schema-common.ts';
import { SCHEMA_BASE } from './spec-constants.ts';
import { NotificationsSchema } from './config-notifications-schema.ts';
import { TargetsSchema } from './config-targets-schema.ts';

export const ProjectConfigSchema = closed(
  {
    specPaths: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Spec files or directories (default [rooms]).',
      }),
    ),
    stateDir: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Local state directory (default .livekit-gitops).',
      }),
    ),
    statusDir: Type.Optional(
      Type.String({ minLength: 1, description: 'Status files directory (default status).' }),
    ),
    state: Type.Optional(
      closed({
        backend: Type.Optional(
          Type.Enum(['file', 'redis'], { description: 'Where state lives (default file).' }),
        ),
        redis: Type.Optional(
          closed({
            address: Type.String({ minLength: 1, description: 'host:port of Redis.' }),
            keyPrefix: Type.Optional(
              Type.String({ description: 'Key prefix (default livekit-gitops:).' }),
            ),
            password: Type.Optional(SecretRef),
          }),
        ),
      }),
    ),
    prune: Type.Optional(
      Type.Boolean({ description: 'Delete owned objects whose spec is gone (default false).' }),
    ),
    maxDeletes: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Refuse applies deleting more (default 10).' }),
    ),
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 256, description: 'Parallel API calls (default 16).' }),
    ),
    daemon: Type.Optional(
      closed({
        listen: Type.Optional(
          Type.String({
            pattern: '^[^\\s:]+:[0-9]{1,5}$',
            description: 'HOST:PORT of the HTTP listener (default 127.0.0.1:8080).',
          }),
        ),
        interval: Type.Optional(duration('Resync interval (default 5m).')),
        webhookPath: Type.Optional(
          Type.String({ pattern: '^/', description: 'Webhook path (default /webhook).' }),
        ),
        statusRetention: Type.Optional(
          duration(
            'How long the status of a room neither declared nor live is kept (default 24h).',
          ),
        ),
      }),
    ),
    source: Type.Optional(
      closed({
        git: closed({
          url: Type.String({
            minLength: 1,
            description:
              'Repository URL (https://, ssh://, git@host:path, git://, file:// or a path); never with credentials in it.',
          }),
          ref: Type.Optional(
            Type.String({
              minLength: 1,
              pattern: '^[^\\s~^:?*\\[\\\\]+$',
              description: 'Branch name or full ref to follow (default main).',
            }),
          ),
          path: Type.Optional(
            Type.String({
              minLength: 1,
              description: 'Spec files or directory inside the repository (default .).',
            }),
          ),
          interval: Type.Optional(duration('How often the ref is fetched (default 1m).')),
          auth: Type.Optional(
            Type.Union(
              [
                closed(
                  {
                    sshKey: FromFile,
                    knownHosts: Type.Optional(FromFile),
                  },
                  { title: 'SSH key' },
                ),
                closed(
                  {
                    token: FromEnv,
                    username: Type.Optional(
                      Type.String({
                        minLength: 1,
                        description: 'HTTP user name sent with the token (default x-access-token).',
                      }),
                    ),
                  },
                  { title: 'HTTPS token' },
                ),
              ],
              { description: 'Credentials by reference: an SSH key file or a token variable.' },
            ),
          ),
          webhook: Type.Optional(
            closed({
              secret: SecretRef,
            }),
          ),
          verify: Type.Optional(
            closed({
              allowedSigners: FromFile,
            }),
          ),
        }),
      }),
    ),
    targets: Type.Optional(TargetsSchema),
    notifications: Type.Optional(NotificationsSchema),
  },
  {
    $id: `${SCHEMA_BASE}config.json`,
    title: 'livekit-gitops.yaml',
    description: 'Project configuration; every field is optional.',
  },
);

export type ProjectConfigInput = Static<typeof ProjectConfigSchema>;

/** The config with every default filled in. */
export interface ProjectConfig {
  specPaths: string[];
  stateDir: string;
  statusDir: string;
  state: {
    backend: 'file' | 'redis';
    redis?: {
      address: string;
      keyPrefix: string;
      password?: { fromEnv: string } | { fromFile: string };
    };
  };
  prune: boolean;
  maxDeletes: number;
  concurrency: number;
  daemon: { listen: string; interval: string; webhookPath: string; statusRetention: string };
  /** Where the daemon's specs come from when not from local files. */
  source?: { git: GitSourceInput };
  /** The deployments this repository drives; one implicit `default` without `targets:`. */
  targets: TargetConfig[];
  /** Notification sinks, as written (secrets still references). */
  notifications?: NotificationsInput;
  /** Whether the file declared `targets:` (without it, `--target` is only a label, as before). */
  declaredTargets: boolean;
}

/** One target with its defaults filled in. */
export interface TargetConfig {
  name: string;
  /** Names of the environment variables holding the connection. */
  livekit: { urlEnv: string; apiKeyEnv: string; apiSecretEnv: string };
  specPaths: string[];
  overlays: string[];
  stateDir: string;
  statusDir: string;
  state: ProjectConfig['state'];
}

export { DEFAULT_CONFIG } from './config-defaults.ts';

export type GitSourceInput = NonNullable<ProjectConfigInput['source']>['git'];

export type NotificationsInput = NonNullable<ProjectConfigInput['notifications']>;
