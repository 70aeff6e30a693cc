/**
 * Which agents belong in which live rooms now, one per agent name and room. Precedence: a Room's
 * own `agents` first, then AgentPolicies by name; the first that names an agent for a room
 * decides for it, and the others leave that agent alone (so two never fight over it). Pure.
 */
import picomatch from 'picomatch';
import type { LiveParticipant, LiveRoom } from '../../core/live.ts';
import type { SourceLocation } from '../../core/plan.ts';
import type { AgentDispatch } from '../room/desired.ts';
import { isOpenAt } from '../room/schedule.ts';
import { agentDispatchAddress, type DesiredAgentPolicy, type DispatchSource } from './desired.ts';

export interface WantedDispatch {
  address: string;
  room: LiveRoom;
  agentName: string;
  metadata: string;
  source: DispatchSource;
  location?: SourceLocation;
  /** The policy's `when` holds (always true for a Room's own agents). */
  holds: boolean;
  /** Why it does not hold; empty when it does. */
  why: string;
  removeWhenUnmet: boolean;
}

/** What agent dispatch reads of a Room spec (a DesiredRoom has it). */
export interface AgentRoomSpec {
  name: string;
  labels: Readonly<Record<string, string>>;
  agents?: readonly AgentDispatch[];
  source?: SourceLocation;
}

export interface WantedInput {
  declaredRooms: readonly AgentRoomSpec[];
  policies: readonly DesiredAgentPolicy[];
  liveRooms: readonly LiveRoom[];
  /** Participants of the rooms that were listed; others fall back to ListRooms' count. */
  participants?: ReadonlyMap<string, readonly LiveParticipant[]>;
}

const matchers = new WeakMap<DesiredAgentPolicy, (name: string) => boolean>();

function nameMatcher(policy: DesiredAgentPolicy): (name: string) => boolean {
  let m = matchers.get(policy);
  if (!m) {
    const names = new Set(policy.rooms.names);
    const glob =
      policy.rooms.match.length > 0 ? picomatch([...policy.rooms.match], { dot: true }) : null;
    m = (name) => names.has(name) || (glob !== null && glob(name));
    matchers.set(policy, m);
  }
  return m;
}

/** By name or glob over the live name, or by labels of the Room spec declaring it. */
export function policySelects(
  policy: DesiredAgentPolicy,
  room: string,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (nameMatcher(policy)(room)) return true;
  const wanted = Object.entries(policy.rooms.labels);
  if (wanted.length === 0 || labels === undefined) return false;
  return wanted.every(([k, v]) => labels[k] === v);
}

/** Whether a policy's count needs the room's participants (ListRooms counts agents too). */
export function needsCount(policy: DesiredAgentPolicy): boolean {
  return policy.when.minParticipants > 0;
}

function whyNot(
  policy: DesiredAgentPolicy,
  room: LiveRoom,
  participants: readonly LiveParticipant[] | undefined,
  now: Date,
): string {
  const w = policy.when;
  if (!isOpenAt(w.schedule, now)) return 'outside the schedule';
  if (w.minParticipants === 0) return '';
  const count =
    participants === undefined
      ? room.numParticipants
      : participants.filter((p) => w.participantKinds.includes(p.kind)).length;
  if (count < w.minParticipants) {
    return `${count} of ${w.minParticipants} participants (${w.participantKinds.join(', ')})`;
  }
  return '';
}

export function wantedDispatches(input: WantedInput, now: Date): Map<string, WantedDispatch> {
  const out = new Map<string, WantedDispatch>();
  const declared = new Map(input.declaredRooms.map((r) => [r.name, r]));
  for (const room of input.liveRooms) {
    const spec = declared.get(room.name);
    if (spec?.agents)
      for (const a of spec.agents) {
        const address = agentDispatchAddress(room.name, a.agentName);
        if (out.has(address)) continue;
        const w: WantedDispatch = {
          address,
          room,
          agentName: a.agentName,
          metadata: a.metadata ?? '',
          source: { kind: 'Room', name: room.name },
          holds: true,
          why: '',
          removeWhenUnmet: false,
        };
        // Assigned, not spread: this runs once per agent and live room on every plan.
        if (spec.source) w.location = spec.source;
        out.set(address, w);
      }
    for (const policy of input.policies) {
      if (!policySelects(policy, room.name, spec?.labels)) continue;
      const address = agentDispatchAddress(room.name, policy.agentName);
      if (out.has(address)) continue;
      const why = whyNot(policy, room, input.participants?.get(room.name), now);
      out.set(address, {
        address,
        room,
        agentName: policy.agentName,
        metadata: policy.metadata,
        source: { kind: 'AgentPolicy', name: policy.name },
        ...(policy.source ? { location: policy.source } : {}),
        holds: why === '',
        why,
        removeWhenUnmet: policy.removeWhenUnmet,
      });
    }
  }
  return out;
}
