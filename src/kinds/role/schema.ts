import Type, { type Static } from 'typebox';
import { closed, duration, stringMap, TrackSource } from '../../spec/schema-common.ts';
import { AgentDispatch } from '../room/schema.ts';

/** VideoGrant fields a participant token may carry (the room comes from `token --room`). */
export const Grants = closed(
  {
    roomJoin: Type.Optional(
      Type.Boolean({ description: 'Default true for tokens minted from a Role.' }),
    ),
    roomAdmin: Type.Optional(Type.Boolean()),
    roomCreate: Type.Optional(Type.Boolean()),
    roomList: Type.Optional(Type.Boolean()),
    roomRecord: Type.Optional(Type.Boolean()),
    ingressAdmin: Type.Optional(Type.Boolean()),
    canPublish: Type.Optional(Type.Boolean()),
    canPublishSources: Type.Optional(Type.Array(TrackSource)),
    canSubscribe: Type.Optional(Type.Boolean()),
    canPublishData: Type.Optional(Type.Boolean()),
    canUpdateOwnMetadata: Type.Optional(Type.Boolean()),
    hidden: Type.Optional(Type.Boolean()),
    canSubscribeMetrics: Type.Optional(Type.Boolean()),
    canManageAgentSession: Type.Optional(Type.Boolean()),
  },
  { title: 'Grants', description: 'LiveKit VideoGrant fields.' },
);

export const RoleSpec = closed(
  {
    grants: Grants,
    ttl: Type.Optional(
      duration('Lifetime of tokens minted from this role, e.g. `2h` (default 6h).'),
    ),
    attributes: Type.Optional(stringMap('Participant attributes set in the token.')),
    agents: Type.Optional(
      Type.Array(AgentDispatch, {
        description:
          "Agents the token brings (roomConfig.agents), besides the declared room's own; each must be declared by a Room or an AgentPolicy.",
      }),
    ),
  },
  { title: 'Role spec' },
);

export type RoleSpec = Static<typeof RoleSpec>;
export type Grants = Static<typeof Grants>;
