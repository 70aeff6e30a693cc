/**
 * What `token --role` signs: the Role's grants for the room, its ttl and attributes, and, when a
 * Room spec declares the room, that room's settings as `roomConfig` so a room auto-created by its
 * first participant gets the declared configuration, and the agents of the room and of the Role
 * (`roomConfig.agents`), so that first join also brings its agents. Pure.
 */
import type { CreateRoomInput } from '../../adapters/livekit/port.ts';
import type { AgentDispatch, DesiredRoom } from '../room/desired.ts';
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
  const roomConfig = roomConfigOf(input.room, input.declared, input.role.agents ?? []);
  if (roomConfig !== undefined) request.roomConfig = roomConfig;
  return request;
}

/**
 * The declared room's agents, then the Role's own; one dispatch per agent name (the room's wins),
 * since two dispatches of one agent are two agents talking in the room.
 */
function tokenAgents(
  declared: readonly AgentDispatch[],
  role: readonly AgentDispatch[],
): AgentDispatch[] {
  const out: AgentDispatch[] = [];
  for (const a of [...declared, ...role]) {
    if (!out.some((o) => o.agentName === a.agentName)) out.push({ ...a });
  }
  return out;
}

function roomConfigOf(
  name: string,
  declared: DesiredRoom | undefined,
  roleAgents: readonly AgentDispatch[],
): CreateRoomInput | undefined {
  if (declared === undefined && roleAgents.length === 0) return undefined;
  const c: CreateRoomInput = declared === undefined ? { name } : declaredConfig(declared);
  const agents = tokenAgents(declared?.agents ?? [], roleAgents);
  if (agents.length > 0) c.agents = agents;
  else delete c.agents;
  return c;
}

function declaredConfig(room: DesiredRoom): CreateRoomInput {
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
