/**
 * Join tokens: the one place AccessToken is used. The API secret signs the token and is never
 * part of any output; callers hand in grants and room settings as plain data.
 */
import { RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import type { TrackSource } from '../../core/live.ts';
import { trackSourceNumber } from './convert.ts';
import type { CreateRoomInput } from './port.ts';

/** VideoGrant fields as plain data (sources by name, as specs spell them). */
export interface JoinTokenGrants {
  room: string;
  roomJoin: boolean;
  roomAdmin?: boolean;
  roomCreate?: boolean;
  roomList?: boolean;
  roomRecord?: boolean;
  ingressAdmin?: boolean;
  canPublish?: boolean;
  canPublishSources?: readonly TrackSource[];
  canSubscribe?: boolean;
  canPublishData?: boolean;
  canUpdateOwnMetadata?: boolean;
  hidden?: boolean;
  canSubscribeMetrics?: boolean;
  canManageAgentSession?: boolean;
}

export interface JoinTokenInput {
  apiKey: string;
  apiSecret: string;
  identity: string;
  name?: string;
  grants: JoinTokenGrants;
  ttlSeconds: number;
  attributes?: Record<string, string>;
  /** The RoomConfiguration a declared Room carries into the tokens minted for it. */
  roomConfig?: CreateRoomInput;
}

function roomConfiguration(c: CreateRoomInput): RoomConfiguration {
  return new RoomConfiguration({
    name: c.name,
    emptyTimeout: c.emptyTimeout ?? 0,
    departureTimeout: c.departureTimeout ?? 0,
    maxParticipants: c.maxParticipants ?? 0,
    metadata: c.metadata ?? '',
    minPlayoutDelay: c.minPlayoutDelay ?? 0,
    maxPlayoutDelay: c.maxPlayoutDelay ?? 0,
    syncStreams: c.syncStreams ?? false,
    agents: (c.agents ?? []).map(
      (a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' }),
    ),
  });
}

export async function mintJoinToken(input: JoinTokenInput): Promise<string> {
  const token = new AccessToken(input.apiKey, input.apiSecret, {
    identity: input.identity,
    ttl: input.ttlSeconds,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
  });
  const { canPublishSources, ...rest } = input.grants;
  const grant: VideoGrant = { ...rest };
  if (canPublishSources !== undefined)
    grant.canPublishSources = canPublishSources.map(trackSourceNumber);
  token.addGrant(grant);
  if (input.roomConfig !== undefined) token.roomConfig = roomConfiguration(input.roomConfig);
  return token.toJwt();
}
