/**
 * Schema building blocks shared by the kinds. Every object is closed (`additionalProperties:
 * false`) so unknown fields are errors; maps (labels, attributes) are the only open objects.
 */
import Type, {
  type TInteger,
  type TObject,
  type TProperties,
  type TSchema,
  type TString,
} from 'typebox';

import {
  API_VERSION,
  DURATION_PATTERN,
  ENV_NAME_PATTERN,
  kebab,
  NAME_MAX,
  SCHEMA_BASE,
  UINT32_MAX,
} from './spec-constants.ts';

export function closed<P extends TProperties>(
  properties: P,
  options: Record<string, unknown> = {},
): TObject<P> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

export function uint32(description: string, extra: Record<string, unknown> = {}): TInteger {
  return Type.Integer({ minimum: 0, maximum: UINT32_MAX, description, ...extra });
}

export function duration(description: string): TString {
  return Type.String({ pattern: DURATION_PATTERN, description, examples: ['90m', '1h30m'] });
}

function makeStringMap(description: string) {
  return Type.Record(Type.String(), Type.String(), { description });
}
export type TStringMap = ReturnType<typeof makeStringMap>;

/** A string -> string map (labels, attributes, headers): the one kind of open object. */
export function stringMap(description: string): TStringMap {
  return makeStringMap(description);
}

export const FromEnv = closed(
  {
    fromEnv: Type.String({
      pattern: ENV_NAME_PATTERN,
      description: 'Name of the environment variable that holds the secret.',
    }),
  },
  { title: 'Secret from an environment variable' },
);

export const FromFile = closed(
  {
    fromFile: Type.String({
      minLength: 1,
      description: 'Path of a file holding the secret, relative to the spec file.',
    }),
  },
  { title: 'Secret from a file' },
);

/** Secrets are never written inline: only a reference to the environment or a file. */
export const SecretRef = Type.Union([FromEnv, FromFile], {
  title: 'SecretRef',
  description: 'A secret: `{ fromEnv: NAME }` or `{ fromFile: path }`, never the value itself.',
});

export const Labels = stringMap('Labels used by selectors of RecordingPolicy and ModerationRule.');

/** `metadata.targets`: the targets (livekit-gitops.yaml `targets:`) a base document is limited to. */
const MetadataTargets = Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$' }), {
  minItems: 1,
  uniqueItems: true,
  description: 'Only these targets get this document (default: every target).',
});

function Metadata<N extends TSchema>(name: N) {
  return closed(
    { name, labels: Type.Optional(Labels), targets: Type.Optional(MetadataTargets) },
    { description: 'Identity of the object: its name (unique per kind) and labels.' },
  );
}

export const ObjectName = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$',
  description: 'Name, unique per kind: letters, digits, `.`, `_`, `-`.',
});

export const ScheduleWindow = closed(
  {
    start: Type.String({
      minLength: 1,
      description:
        'When the window opens: a 5-field cron expression (minute hour day month weekday).',
      examples: ['0 9 * * 1-5'],
    }),
    duration: duration('How long the window stays open, e.g. `90m`.'),
    timezone: Type.Optional(
      Type.String({ minLength: 1, description: 'IANA time zone of `start`; default UTC.' }),
    ),
  },
  { title: 'Schedule window' },
);

export const Schedule = Type.Array(ScheduleWindow, {
  minItems: 1,
  description: 'Windows in which this applies; outside every window it does not.',
});

export const RoomSelector = closed(
  {
    names: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: NAME_MAX }), {
        description: 'Exact room names.',
      }),
    ),
    match: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Globs over live room names, e.g. `webinar-*`.',
      }),
    ),
    labels: Type.Optional(stringMap('Labels of Room specs; all must match.')),
  },
  {
    minProperties: 1,
    description: 'Which rooms this applies to: any of names, match globs or labels.',
  },
);

export const TrackSource = Type.Enum(
  ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
  {
    description: 'A track source.',
  },
);

/** ParticipantPermission fields (UpdateParticipant). */
export const Permissions = closed(
  {
    canSubscribe: Type.Optional(Type.Boolean()),
    canPublish: Type.Optional(Type.Boolean()),
    canPublishData: Type.Optional(Type.Boolean()),
    canPublishSources: Type.Optional(Type.Array(TrackSource)),
    hidden: Type.Optional(Type.Boolean()),
    canUpdateMetadata: Type.Optional(Type.Boolean()),
    canSubscribeMetrics: Type.Optional(Type.Boolean()),
    canManageAgentSession: Type.Optional(Type.Boolean()),
  },
  { title: 'Participant permissions', description: 'LiveKit ParticipantPermission fields.' },
);

/** `apiVersion`, `kind`, `metadata`, `spec`: the envelope every document shares. */
export function documentSchema<K extends string, S extends TSchema>(
  kind: K,
  spec: S,
  name: TSchema,
  description: string,
): TSchema {
  return closed(
    {
      apiVersion: Type.Literal(API_VERSION, { description: 'Always `livekit-gitops/v1`.' }),
      kind: Type.Literal(kind),
      metadata: Metadata(name),
      spec,
    },
    { $id: `${SCHEMA_BASE}${kebab(kind)}.json`, title: kind, description },
  );
}
