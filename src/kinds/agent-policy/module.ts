/**
 * AgentPolicy in the registry. It also reconciles Room specs' `agents` for live rooms (one
 * address per agent name and room, whoever asks for it): dispatches are listed where a decision
 * is open, settling adopts lost answers and agents sent with CreateRoom, and creates get a
 * pending marker with what identifies the dispatch (room session, agent name, metadata).
 */
import { LiveKitError } from '../../core/errors.ts';
import { roomInPayload, type KindModule, type PlanStepInput } from '../kind.ts';
import { executeAgentChange } from './apply.ts';
import { AGENT_KIND } from './desired.ts';
import { agentPoliciesOf } from './from-spec.ts';
import { observeAgents, type AgentObservation } from './observe.ts';
import { bindAgents } from './planner.ts';
import { settleAgentDispatches, type AgentEvent } from './settle.ts';
import { agentStatusFolds } from './status.ts';
import { agentStatusView } from './status-view.ts';
import { wantedDispatches, type WantedDispatch } from './wanted.ts';

declare module '../kind.ts' {
  interface Observed {
    /** Dispatches and counted participants of the rooms with an open agent decision. */
    agents?: AgentObservation;
  }
  interface PlanExtras {
    /** Dispatches adopted, lost creates and dispatches that ended with their room. */
    agentEvents?: AgentEvent[];
  }
}

// settle and plan of one planFrom ask for the same observation: computed once.
const wantedCache = new WeakMap<
  AgentObservation,
  { at: number; specs: unknown; wanted: Map<string, WantedDispatch> }
>();

function wantedOf(i: PlanStepInput, observation: AgentObservation): Map<string, WantedDispatch> {
  // Observe's answer stands when nothing it rests on can have changed (see AgentObservation).
  const reusable = observation.wanted;
  if (i.scope === undefined && reusable !== undefined && reusable.specs === i.specs) {
    return reusable.map;
  }
  const hit = wantedCache.get(observation);
  if (hit && hit.at === i.at.getTime() && hit.specs === i.specs) return hit.wanted;
  const wanted = computeWanted(i, observation);
  wantedCache.set(observation, { at: i.at.getTime(), specs: i.specs, wanted });
  return wanted;
}

function computeWanted(
  i: PlanStepInput,
  observation: AgentObservation,
): Map<string, WantedDispatch> {
  const scope = i.scope;
  const rooms = scope ? i.observed.rooms.filter((r) => scope.has(r.name)) : i.observed.rooms;
  return wantedDispatches(
    {
      declaredRooms: i.declaredRooms,
      policies: agentPoliciesOf(i.specs ?? []),
      liveRooms: rooms,
      participants: observation.participants,
    },
    i.at,
  );
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export const agentPolicyModule: KindModule = {
  kind: AGENT_KIND,
  docs: 'docs/agents.md',
  // Room changes first: agents of a room the tool creates go with CreateRoom.
  dependsOn: ['Room'],
  // Named after the Room or policy that asks for the agent; the room is in the payload.
  roomOf: (change) => roomInPayload(change.payload),
  status: agentStatusFolds,
  statusView: agentStatusView,
  observesAfterOthers: true,
  notImportable:
    "a policy decides where an agent goes; import writes a live room's explicit dispatches into that Room's agents",
  async observe({ port, specs, state, now }, sofar) {
    const agents = await observeAgents(port, {
      specs,
      state,
      liveRooms: sofar.rooms,
      listed: sofar.participants,
      now,
    });
    return agents && ((o) => (o.agents = agents));
  },
  settle(i) {
    const observation = i.observed.agents;
    if (observation === undefined) return undefined;
    const { state, events } = settleAgentDispatches({
      state: i.state,
      liveRooms: i.observed.rooms,
      dispatches: observation.dispatches,
      wanted: wantedOf(i, observation),
      now: i.at,
      scope: i.scope,
    });
    return events.length > 0 ? { state, extras: { agentEvents: events } } : { state };
  },
  plan(i) {
    const observation = i.observed.agents;
    if (observation === undefined) return undefined;
    return bindAgents({
      wanted: wantedOf(i, observation),
      dispatches: observation.dispatches,
      scope: i.scope,
    });
  },
  execute: (change, { port, now }) => executeAgentChange(change, port, now),
  recordFailure(doc, change, error) {
    // A refused call dispatched nothing: no marker to resolve. A timeout may have reached the
    // server, so its marker stays for settle to adopt the dispatch or let go.
    if (error instanceof LiveKitError && (error.kind === 'timeout' || error.kind === 'unavailable'))
      return;
    delete doc.pending[change.address];
  },
  pendingMarker(change, startedAt) {
    // CreateDispatch is not idempotent: the marker lets the next reconcile adopt the dispatch of
    // a create whose answer was lost, instead of dispatching a second agent.
    if (change.action !== 'create' && change.action !== 'replace') return undefined;
    const p = change.payload;
    return {
      address: change.address,
      operation: change.action,
      startedAt,
      match: {
        name: change.name,
        room: text(p['room']),
        roomSid: text(p['roomSid']),
        agentName: text(p['agentName']),
        metadata: text(p['metadata']),
        source: text(p['source']),
        status: 'dispatched',
      },
    };
  },
};
