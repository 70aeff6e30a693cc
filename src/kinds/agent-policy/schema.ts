import Type, { type Static } from 'typebox';
import { closed, RoomSelector, Schedule, uint32 } from '../../spec/schema-common.ts';
import { ParticipantKind } from '../moderation-rule/schema.ts';
import { AgentDispatch } from '../room/schema.ts';

export const AgentPolicyWhen = closed(
  {
    minParticipants: Type.Optional(
      uint32(
        'Dispatch once at least this many participants of `participantKinds` are in the room (default 0: as soon as the room is live).',
      ),
    ),
    participantKinds: Type.Optional(
      Type.Array(ParticipantKind, {
        minItems: 1,
        description:
          'Kinds counted by minParticipants (default standard and sip; agents never count unless named).',
      }),
    ),
    schedule: Type.Optional(Schedule),
  },
  { title: 'When' },
);

export const AgentPolicySpec = closed(
  {
    rooms: RoomSelector,
    agent: AgentDispatch,
    when: Type.Optional(AgentPolicyWhen),
    removeWhenUnmet: Type.Optional(
      Type.Boolean({
        description:
          'Delete the dispatch (its job ends) when `when` stops holding; default false: an agent once dispatched stays for the room session.',
      }),
    ),
  },
  { title: 'AgentPolicy spec' },
);

export type AgentPolicySpec = Static<typeof AgentPolicySpec>;
