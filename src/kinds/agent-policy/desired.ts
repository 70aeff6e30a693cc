/**
 * The desired model of agent dispatch: AgentPolicies (defaults filled in) and the addresses of
 * dispatches, `agent-dispatch.<room>.<agentName>` (one per agent name and room: two dispatches of
 * one agent are two agents talking in the room).
 */
import type { ParticipantKind } from '../../core/live.ts';
import type { SourceLocation } from '../../core/plan.ts';
import type { RoomSelectorModel } from '../recording-policy/desired.ts';
import type { ScheduleWindow } from '../room/desired.ts';

export const AGENT_KIND = 'AgentPolicy';
const PREFIX = 'agent-dispatch.';

/** Counted by `when.minParticipants` unless `participantKinds` says otherwise. */
export const DEFAULT_COUNTED_KINDS: readonly ParticipantKind[] = ['standard', 'sip'];

export interface AgentPolicyWhen {
  /** 0: as soon as the room is live. */
  minParticipants: number;
  participantKinds: ParticipantKind[];
  schedule?: ScheduleWindow[];
}

export interface DesiredAgentPolicy {
  name: string;
  rooms: RoomSelectorModel;
  agentName: string;
  metadata: string;
  when: AgentPolicyWhen;
  removeWhenUnmet: boolean;
  source?: SourceLocation;
}

export function agentDispatchAddress(room: string, agentName: string): string {
  return `${PREFIX}${room}.${agentName}`;
}

export function isAgentDispatchAddress(address: string): boolean {
  return address.startsWith(PREFIX);
}

/** Who asked for a dispatch: a Room's `agents`, or an AgentPolicy. */
export interface DispatchSource {
  kind: 'Room' | 'AgentPolicy';
  name: string;
}

/**
 * What state records about a dispatch this tool made or adopted, in `owned[address].match`: the
 * room session it belongs to (room sid), so a room that closed and came back is a new session.
 */
export interface DispatchRecord {
  room: string;
  roomSid: string;
  agentName: string;
  metadata: string;
  source: DispatchSource['kind'];
  /** `removed`: deleted when its policy stopped holding; not dispatched again this session. */
  status: 'dispatched' | 'removed';
}

export function recordOf(
  match: Readonly<Record<string, string>> | undefined,
): DispatchRecord | undefined {
  if (match === undefined) return undefined;
  const { room, roomSid, agentName, metadata, source, status } = match;
  if (room === undefined || roomSid === undefined || agentName === undefined) return undefined;
  return {
    room,
    roomSid,
    agentName,
    metadata: metadata ?? '',
    source: source === 'Room' ? 'Room' : 'AgentPolicy',
    status: status === 'removed' ? 'removed' : 'dispatched',
  };
}

export function matchOf(r: DispatchRecord): Record<string, string> {
  return {
    room: r.room,
    roomSid: r.roomSid,
    agentName: r.agentName,
    metadata: r.metadata,
    source: r.source,
    status: r.status,
  };
}
