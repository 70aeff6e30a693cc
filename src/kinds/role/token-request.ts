/**
 * What `token --role` signs: the Role's grants for the room, its ttl and attributes, and, when a
 * Room spec declares the room, that room's settings as `roomConfig` so a room auto-created by its
 * first participant gets the declared configuration. Pure.
 */
import type { CreateRoomInput } from '../../adapters/livekit/port.ts';
import type { DesiredRoom } from '../room/desired.ts';
import { joinGrantsOf, type JoinGrants } from './grants.ts';
import type { RoleSpec } from './schema.ts';

/** LiveKit's own default token lifetime (AccessToken), used when neither flag nor Role sets one. */
export const DEFAULT_TTL_SECONDS = 6 * 3600;

export interface TokenRequest {
  identity: string;
  name?: string;
  grants: JoinGrants;
  ttlSeconds: number;
  attributes?: Record<string, string>;
  /** The declared room's settings, in the shape the port creates rooms with. */
  roomConfig?: CreateRoomInput;
}

export interface TokenRequestInput {
  room: string;
  identity: string;
  name?: string;
  role: RoleSpec;
  /** `--ttl` in milliseconds; beats the Role's ttl. */
  ttlMs?: number;
  /** The Role's ttl in milliseconds, already parsed. */
  roleTtlMs?: number;
  declared?: DesiredRoom;
}

export function buildTokenRequest(input: TokenRequestInput): TokenRequest {
  const ttlMs = input.ttlMs ?? input.roleTtlMs;
  const request: TokenRequest = {
    identity: input.identity,
    grants: joinGrantsOf(input.role, input.room),
    ttlSeconds: ttlMs === undefined ? DEFAULT_TTL_SECONDS : Math.max(1, Math.round(ttlMs / 1000)),
  };
  if (input.name !== undefined) request.name = input.name;
  if (input.role.attributes !== undefined) request.attributes = { ...input.role.attributes };
  if (input.declared !== undefined) request.roomConfig = roomConfigOf(input.declared);
  return request;
}

function roomConfigOf(room: DesiredRoom): CreateRoomInput {
  const c: CreateRoomInput = { name: room.name };
  if (room.emptyTimeout !== undefined) c.emptyTimeout = room.emptyTimeout;
  if (room.departureTimeout !== undefined) c.departureTimeout = room.departureTimeout;
  if (room.maxParticipants !== undefined) c.maxParticipants = room.maxParticipants;
  if (room.metadata !== undefined) c.metadata = room.metadata;
  if (room.minPlayoutDelay !== undefined) c.minPlayoutDelay = room.minPlayoutDelay;
  if (room.maxPlayoutDelay !== undefined) c.maxPlayoutDelay = room.maxPlayoutDelay;
  if (room.syncStreams !== undefined) c.syncStreams = room.syncStreams;
  if (room.agents !== undefined) c.agents = room.agents.map((a) => ({ ...a }));
  return c;
}
