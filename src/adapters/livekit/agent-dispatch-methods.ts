/**
 * Agent dispatch (AgentDispatchService): list, create (never retried) and delete (not found
 * counts as deleted), as plain data.
 */
import type { AgentDispatch, Job } from '@livekit/protocol';
import type { AgentJobStatus, LiveAgentDispatch, LiveAgentJob } from '../../core/live.ts';
import type { Caller } from './client-call.ts';
import type { LiveKitPort } from './port.ts';

export type AgentDispatchMethods = Pick<
  LiveKitPort,
  'listAgentDispatches' | 'createAgentDispatch' | 'deleteAgentDispatch'
>;

const JOB_STATUSES: readonly AgentJobStatus[] = ['pending', 'running', 'success', 'failed'];

function toLiveAgentJob(j: Job): LiveAgentJob {
  return {
    id: j.id,
    status: JOB_STATUSES[j.state?.status ?? 0] ?? 'pending',
    participantIdentity: j.state?.participantIdentity ?? '',
    error: j.state?.error ?? '',
  };
}

export function toLiveAgentDispatch(d: AgentDispatch): LiveAgentDispatch {
  return {
    id: d.id,
    room: d.room,
    agentName: d.agentName,
    metadata: d.metadata,
    // Nanoseconds.
    createdAtMs: Number((d.state?.createdAt ?? 0n) / 1_000_000n),
    jobs: (d.state?.jobs ?? []).map(toLiveAgentJob),
  };
}

export function agentDispatchMethods({ call, deleting }: Caller): AgentDispatchMethods {
  return {
    async listAgentDispatches(room) {
      const items = await call('AgentDispatch.ListDispatch', 'retry', (c) =>
        c.agent.listDispatch(room),
      );
      return items.map(toLiveAgentDispatch);
    },
    async createAgentDispatch(input) {
      // Never retried: a lost answer may still have dispatched an agent. Callers re-list.
      const d = await call('AgentDispatch.CreateDispatch', 'once', (c) =>
        c.agent.createDispatch(input.room, input.agentName, { metadata: input.metadata ?? '' }),
      );
      return toLiveAgentDispatch(d);
    },
    deleteAgentDispatch: (room, dispatchId) =>
      deleting('AgentDispatch.DeleteDispatch', (c) => c.agent.deleteDispatch(dispatchId, room)),
  };
}
