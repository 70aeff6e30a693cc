/**
 * Agent dispatch's part of the status files: each room's dispatches (whose they are, their jobs)
 * and its agent participants (state, job id), from ListDispatch where a reconcile listed them,
 * from this tool's creates and deletes, and from `participant_*` webhooks of kind AGENT. Reports
 * (adopted, lost, ended, failed) go to the room's agent events; results are counted in metrics.
 */
import type { RoomStatus } from '../../adapters/status/room-status.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveAgentDispatch, LiveParticipant } from '../../core/live.ts';
import { scrubText } from '../../core/redact.ts';
import type { KindOutcome, KindStatusFolds, ReconcileFoldInput } from '../kind.ts';
import { AGENT_KIND, recordOf } from './desired.ts';

declare module '../../adapters/status/room-status.ts' {
  interface RoomStatusSections {
    /** Agent dispatches and agent participants (absent until the room has any). */
    agents?: RoomAgents;
  }
}

export interface StatusAgentJob {
  id: string;
  status: string;
  /** The agent's identity in the room once it joined ('' before). */
  participant: string;
}

export interface StatusAgentDispatch {
  id: string;
  agentName: string;
  /** `Room <name>` or `AgentPolicy <name>` for this tool's dispatches; null for anyone else's. */
  owner: string | null;
  jobs: StatusAgentJob[];
}

export interface StatusAgentParticipant {
  identity: string;
  /** The worker's agent name (its `lk.agent.name` attribute; '' when it sets none). */
  agentName: string;
  kind: 'agent';
  state: LiveParticipant['state'];
  /** The job the agent runs ('' when neither its dispatch nor its identity names one). */
  jobId: string;
  joinedAt: string;
}

export type AgentStatusEventKind =
  | 'dispatched'
  | 'replaced'
  | 'removed'
  | 'failed'
  | 'adopted'
  | 'lost'
  | 'ended'
  | 'joined'
  | 'left';

export interface AgentStatusEvent {
  time: string;
  kind: AgentStatusEventKind;
  agentName: string;
  dispatchId?: string;
  participant?: string;
  message?: string;
}

export interface RoomAgents {
  dispatches: StatusAgentDispatch[];
  participants: StatusAgentParticipant[];
  /** The last MAX_AGENT_EVENTS, oldest first. */
  events: AgentStatusEvent[];
}

export const MAX_AGENT_EVENTS = 20;

function agentsOf(s: RoomStatus): RoomAgents {
  return (s.agents ??= { dispatches: [], participants: [], events: [] });
}

function pushEvent(a: RoomAgents, ev: AgentStatusEvent): void {
  a.events.push(ev);
  if (a.events.length > MAX_AGENT_EVENTS) a.events.splice(0, a.events.length - MAX_AGENT_EVENTS);
}

/** LiveKit names an agent `agent-<job id>` unless the worker chose another identity. */
function jobIdOf(identity: string, a: RoomAgents | undefined): string {
  for (const d of a?.dispatches ?? []) {
    const job = d.jobs.find((j) => j.participant === identity);
    if (job) return job.id;
  }
  return /^agent-(AJ_\w+)$/.exec(identity)?.[1] ?? '';
}

/** Dispatch id → `Room <name>` / `AgentPolicy <name>` for the dispatches this tool owns. */
function ownersOf(state: StateDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of Object.values(state.owned)) {
    if (o.kind !== AGENT_KIND || !o.serverId) continue;
    const rec = recordOf(o.match);
    out.set(o.serverId, `${rec?.source ?? AGENT_KIND} ${o.name}`);
  }
  return out;
}

function toStatusDispatch(d: LiveAgentDispatch, owner: string | null): StatusAgentDispatch {
  return {
    id: d.id,
    agentName: d.agentName,
    owner,
    jobs: d.jobs.map((j) => ({ id: j.id, status: j.status, participant: j.participantIdentity })),
  };
}

function toStatusParticipant(
  p: LiveParticipant,
  a: RoomAgents | undefined,
): StatusAgentParticipant {
  return {
    identity: p.identity,
    agentName: p.attributes['lk.agent.name'] ?? '',
    kind: 'agent',
    state: p.state,
    jobId: jobIdOf(p.identity, a),
    joinedAt: new Date(p.joinedAtMs || 0).toISOString(),
  };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function errorText(err: unknown, secrets: readonly string[]): string {
  return scrubText(err instanceof Error ? err.message : String(err), secrets);
}

/** A create with no answer may have reached the server: the next settle adopts or drops it. */
function unanswered(err: unknown): boolean {
  return err instanceof LiveKitError && (err.kind === 'timeout' || err.kind === 'unavailable');
}

function foldOutcome(i: ReconcileFoldInput, o: KindOutcome, owners: Map<string, string>): void {
  const p = o.change.payload;
  const room = text(p['room']);
  if (room === '') return;
  const agentName = text(p['agentName']);
  const source = text(p['source']) || AGENT_KIND;
  const time = i.now.toISOString();
  const action = o.change.action;
  if (!o.ok) {
    const result = unanswered(o.error) ? 'unanswered' : 'failed';
    i.metrics.agentDispatches.inc({ result, source });
    const message = errorText(o.error, i.secretValues);
    i.status.update(room, (s) =>
      pushEvent(agentsOf(s), { time, kind: 'failed', agentName, message: `${action}: ${message}` }),
    );
    return;
  }
  const created = o.effect.own?.serverId;
  const removed = text(p['dispatchId']) || text(p['oldDispatchId']);
  const result = action === 'create' ? 'created' : action === 'replace' ? 'replaced' : 'deleted';
  i.metrics.agentDispatches.inc({ result, source });
  i.status.update(room, (s) => {
    const a = agentsOf(s);
    if (removed) a.dispatches = a.dispatches.filter((d) => d.id !== removed);
    if (created) {
      a.dispatches = a.dispatches.filter((d) => d.id !== created);
      a.dispatches.push({ id: created, agentName, owner: owners.get(created) ?? null, jobs: [] });
    }
    const kind = action === 'create' ? 'dispatched' : action === 'replace' ? 'replaced' : 'removed';
    pushEvent(a, {
      time,
      kind,
      agentName,
      ...((created ?? removed) ? { dispatchId: created ?? removed } : {}),
    });
  });
}

function foldReconcile(i: ReconcileFoldInput): void {
  const owners = ownersOf(i.settled);
  for (const o of i.outcomes) {
    const id = o.ok && o.change.kind === AGENT_KIND ? o.effect.own?.serverId : undefined;
    if (id) owners.set(id, `${text(o.change.payload['source']) || AGENT_KIND} ${o.change.name}`);
  }
  // What ListDispatch answered is the truth for the rooms it was asked about.
  for (const [room, list] of i.observed.agents?.dispatches ?? []) {
    if (i.scope && !i.scope.has(room)) continue;
    i.status.update(room, (s) => {
      agentsOf(s).dispatches = list.map((d) => toStatusDispatch(d, owners.get(d.id) ?? null));
    });
  }
  for (const o of i.outcomes) if (o.change.kind === AGENT_KIND) foldOutcome(i, o, owners);
  const time = i.now.toISOString();
  for (const ev of i.extras.agentEvents ?? []) {
    if (ev.type !== 'ended') i.metrics.agentDispatches.inc({ result: ev.type, source: 'settle' });
    i.status.update(ev.room, (s) => {
      const a = agentsOf(s);
      const dispatchId = ev.type === 'adopted' ? ev.dispatchId : undefined;
      pushEvent(a, {
        time,
        kind: ev.type,
        agentName: ev.agentName,
        ...(dispatchId ? { dispatchId } : {}),
      });
      if (dispatchId) {
        const known = a.dispatches.find((d) => d.id === dispatchId);
        if (known) known.owner = owners.get(dispatchId) ?? known.owner;
      }
    });
  }
  // Participants listed on a full resync: the agents among them, as the server has them.
  for (const [room, list] of i.participants) {
    const agents = list.filter((p) => p.kind === 'agent');
    const had = i.status.peek(room)?.agents;
    if (agents.length === 0 && (had === undefined || had.participants.length === 0)) continue;
    i.status.update(room, (s) => {
      const a = agentsOf(s);
      a.participants = agents.map((p) => toStatusParticipant(p, a));
    });
  }
  // Rooms that are no longer live have no dispatches and no agents.
  const live = new Set(i.observed.rooms.map((r) => r.name));
  for (const room of i.scope ?? i.status.rooms()) {
    const a = i.status.peek(room)?.agents;
    if (!a || live.has(room) || (a.dispatches.length === 0 && a.participants.length === 0))
      continue;
    i.status.update(room, (s) => {
      const x = agentsOf(s);
      x.dispatches = [];
      x.participants = [];
    });
  }
}

export function agentStatusFolds(): KindStatusFolds {
  return {
    foldEvent(s, ev, { now }) {
      if (ev.event === 'room_finished') {
        if (s.agents) {
          s.agents.dispatches = [];
          s.agents.participants = [];
        }
        return;
      }
      const p = ev.participant;
      if (p?.kind !== 'agent') return;
      const joined = ev.event === 'participant_joined';
      const left = ev.event === 'participant_left' || ev.event === 'participant_connection_aborted';
      if (!joined && !left) return;
      const a = agentsOf(s);
      a.participants = a.participants.filter((x) => x.identity !== p.identity);
      const entry = toStatusParticipant(p, a);
      if (joined) a.participants.push(entry);
      const time = new Date(ev.createdAtMs || Date.parse(now)).toISOString();
      pushEvent(a, {
        time,
        kind: joined ? 'joined' : 'left',
        agentName: entry.agentName,
        participant: p.identity,
        ...(entry.jobId ? { message: `job ${entry.jobId}` } : {}),
      });
    },
    foldReconcile,
  };
}
