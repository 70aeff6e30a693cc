import Type, { type Static } from 'typebox';
import { closed, Schedule, uint32 } from '../../spec/schema-common.ts';
import { NAME_MAX } from '../../spec/spec-constants.ts';
import {
  AGENT_METADATA_MAX,
  AGENT_NAME_MAX,
  AGENT_NAME_PATTERN,
  ROOM_METADATA_MAX,
} from './limits.ts';

export { AGENT_METADATA_MAX, AGENT_NAME_MAX, AGENT_NAME_PATTERN, ROOM_METADATA_MAX };

export const RoomName = Type.String({
  minLength: 1,
  maxLength: NAME_MAX,
  description: 'The LiveKit room name (1 to 256 characters).',
});

export const AgentName = Type.String({
  minLength: 1,
  maxLength: AGENT_NAME_MAX,
  pattern: AGENT_NAME_PATTERN,
  description:
    'The agentName a LiveKit Agents worker registered (letters, digits, `.`, `_`, `-`; at most 128).',
});

export const AgentDispatch = closed(
  {
    agentName: AgentName,
    metadata: Type.Optional(
      Type.String({
        maxLength: AGENT_METADATA_MAX,
        description: 'Job metadata handed to the agent (at most 64 KiB).',
      }),
    ),
  },
  { title: 'Agent dispatch' },
);

export const RoomLifecycle = closed(
  {
    preventDestroy: Type.Optional(
      Type.Boolean({
        description: 'Never deleted by apply or prune, even after its spec is removed.',
      }),
    ),
    onOccupied: Type.Optional(
      Type.Enum(['wait', 'force'], {
        description:
          'What an immutable change or a closing window does to a room with participants: wait (default) or force.',
      }),
    ),
  },
  { title: 'Lifecycle' },
);

export const RoomSpec = closed(
  {
    emptyTimeout: Type.Optional(
      uint32(
        'Seconds an API-created room nobody joined stays open (server default 300). Integer seconds.',
      ),
    ),
    departureTimeout: Type.Optional(
      uint32('Seconds the room stays open after the last participant left (server default 20).'),
    ),
    maxParticipants: Type.Optional(uint32('Participant limit; 0 means no limit.')),
    metadata: Type.Optional(
      Type.Union(
        [Type.String({ maxLength: ROOM_METADATA_MAX }), Type.Record(Type.String(), Type.Unknown())],
        {
          description:
            'Room metadata: a string, or an object sent as compact JSON (at most 512 KiB).',
        },
      ),
    ),
    agents: Type.Optional(
      Type.Array(AgentDispatch, {
        description:
          'Agents dispatched into the room: with CreateRoom, and into the live room when missing.',
      }),
    ),
    minPlayoutDelay: Type.Optional(uint32('Minimum playout delay in milliseconds.')),
    maxPlayoutDelay: Type.Optional(uint32('Maximum playout delay in milliseconds.')),
    syncStreams: Type.Optional(
      Type.Boolean({ description: 'Synchronise audio and video of each participant.' }),
    ),
    schedule: Type.Optional(Schedule),
    lifecycle: Type.Optional(RoomLifecycle),
  },
  { title: 'Room spec' },
);

export type RoomSpec = Static<typeof RoomSpec>;
