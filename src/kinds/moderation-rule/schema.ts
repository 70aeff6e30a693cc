import Type, { type Static } from 'typebox';
import {
  closed,
  ObjectName,
  Permissions,
  RoomSelector,
  stringMap,
  TrackSource,
  uint32,
} from '../../spec/schema-common.ts';

export const ParticipantKind = Type.Enum(['standard', 'agent', 'sip', 'ingress', 'egress']);

export const ParticipantMatcher = closed(
  {
    identity: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Identity globs.' }),
    ),
    attributes: Type.Optional(stringMap('Attributes that must all be equal.')),
    kind: Type.Optional(
      Type.Array(ParticipantKind, {
        description:
          'Participant kinds; agents, egress and ingress are only matched when named here.',
      }),
    ),
  },
  { title: 'Participant matcher' },
);

const EFFECTS = ['permissions', 'role', 'mute', 'remove'] as const;

export const ModerationEffectRule = closed(
  {
    participants: ParticipantMatcher,
    permissions: Type.Optional(Permissions),
    role: Type.Optional(ObjectName),
    mute: Type.Optional(Type.Array(TrackSource, { description: 'Track sources to mute.' })),
    remove: Type.Optional(Type.Boolean({ description: 'Remove the participant from the room.' })),
    reason: Type.Optional(Type.String({ description: 'Why, recorded with the action.' })),
  },
  {
    title: 'Moderation rule',
    description: 'The first rule whose matcher matches a participant decides for it.',
    anyOf: EFFECTS.map((e) => ({ required: [e] })),
  },
);

export const ModerationRuleSpec = closed(
  {
    rooms: RoomSelector,
    enforce: Type.Optional(
      Type.Enum(['always', 'onJoin'], {
        description:
          'always: on every resync and event (default); onJoin: once, when a participant joins.',
      }),
    ),
    rules: Type.Optional(
      Type.Array(ModerationEffectRule, { description: 'In order; first match decides.' }),
    ),
    limits: Type.Optional(
      closed({
        maxPublishers: Type.Optional(
          uint32('Publishers beyond the first N (by join time) lose canPublish.'),
        ),
      }),
    ),
  },
  { title: 'ModerationRule spec' },
);

export type ModerationRuleSpec = Static<typeof ModerationRuleSpec>;
