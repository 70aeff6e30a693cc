/** The `targets:` section of livekit-gitops.yaml: one entry per LiveKit deployment. */
import Type, { type Static } from 'typebox';
import { closed, SecretRef } from './schema-common.ts';
import { ENV_NAME_PATTERN } from './spec-constants.ts';

/** Target names become part of PR comment markers and commit status contexts. */
export const TARGET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$';

const envName = (description: string) =>
  Type.Optional(Type.String({ pattern: ENV_NAME_PATTERN, description }));

const paths = (description: string) =>
  Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description }));

export const TargetSchema = closed(
  {
    livekit: Type.Optional(
      closed(
        {
          urlEnv: envName('Variable holding the server URL (default LIVEKIT_URL).'),
          apiKeyEnv: envName('Variable holding the API key (default LIVEKIT_API_KEY).'),
          apiSecretEnv: envName('Variable holding the API secret (default LIVEKIT_API_SECRET).'),
        },
        { description: 'Names of the environment variables of the connection, never values.' },
      ),
    ),
    state: Type.Optional(
      closed(
        {
          backend: Type.Optional(
            Type.Enum(['file', 'redis'], {
              description: 'Where the state lives (default: the top-level state.backend).',
            }),
          ),
          dir: Type.Optional(
            Type.String({
              minLength: 1,
              description: 'File backend directory (default <stateDir>/<target>).',
            }),
          ),
          address: Type.Optional(
            Type.String({ minLength: 1, description: 'host:port of Redis (redis backend).' }),
          ),
          keyPrefix: Type.Optional(
            Type.String({
              description: 'Redis key prefix (default <state.redis.keyPrefix><target>:).',
            }),
          ),
          password: Type.Optional(SecretRef),
        },
        { description: 'Own state (lineage, inventory, lock) of this target.' },
      ),
    ),
    specPaths: paths('Spec files or directories (default: the top-level specPaths).'),
    overlays: paths('Overlay directories whose documents patch or add to the base (in order).'),
    statusDir: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Status files directory (default <statusDir>/<target>).',
      }),
    ),
  },
  { description: 'One LiveKit deployment.' },
);

export const TargetsSchema = Type.Record(
  Type.String({ pattern: TARGET_NAME_PATTERN }),
  TargetSchema,
  {
    minProperties: 1,
    additionalProperties: false,
    description: 'LiveKit deployments driven from this repository (staging, production, regions).',
  },
);

export type TargetInput = Static<typeof TargetSchema>;
