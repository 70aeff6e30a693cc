/**
 * The agent dispatches of the in-memory LiveKit fake, with LiveKit's behaviour (pinned by
 * test/contract/agent-dispatch.contract.ts): every new room gets an automatic dispatch with an
 * empty agent name unless it was created with agents; agents registered with `registerAgent`
 * join as participants of kind `agent` when dispatched and leave when their dispatch is deleted.
 */
import type { LiveAgentDispatch } from '../../src/core/live.ts';

export interface FakeAgentHooks {
  now(): number;
  id(prefix: string): string;
  /** An agent's job joined the room. */
  join(room: string, identity: string, agentName: string): void;
  leave(room: string, identity: string): void;
}

export class FakeAgentDispatches {
  private readonly byRoom = new Map<string, Map<string, LiveAgentDispatch>>();
  private readonly workers = new Set<string>();
  private readonly hooks: FakeAgentHooks;

  constructor(hooks: FakeAgentHooks) {
    this.hooks = hooks;
  }

  /** A worker with this agent name is registered: dispatches naming it get a job that joins. */
  registerAgent(agentName: string): void {
    this.workers.add(agentName);
  }

  /** A new room: its dispatches are the given agents, or the automatic one. */
  roomCreated(room: string, agents: readonly { agentName: string; metadata?: string }[]): void {
    this.byRoom.set(room, new Map());
    const initial = agents.length > 0 ? agents : [{ agentName: '', metadata: '' }];
    for (const a of initial) this.add(room, a.agentName, a.metadata ?? '');
  }

  roomDeleted(room: string): void {
    this.byRoom.delete(room);
  }

  has(room: string): boolean {
    return this.byRoom.has(room);
  }

  list(room: string): LiveAgentDispatch[] {
    return [...(this.byRoom.get(room)?.values() ?? [])];
  }

  add(room: string, agentName: string, metadata: string): LiveAgentDispatch {
    const d: LiveAgentDispatch = {
      id: this.hooks.id('AD'),
      room,
      agentName,
      metadata,
      createdAtMs: this.hooks.now(),
      jobs: [],
    };
    this.byRoom.get(room)?.set(d.id, d);
    if (agentName !== '' && this.workers.has(agentName)) {
      const jobId = this.hooks.id('AJ');
      const identity = `agent-${jobId}`;
      d.jobs.push({ id: jobId, status: 'running', participantIdentity: identity, error: '' });
      this.hooks.join(room, identity, agentName);
    }
    return d;
  }

  /** False when the room has no such dispatch. */
  delete(room: string, dispatchId: string): boolean {
    const d = this.byRoom.get(room)?.get(dispatchId);
    if (!d) return false;
    this.byRoom.get(room)?.delete(dispatchId);
    for (const j of d.jobs) this.hooks.leave(room, j.participantIdentity);
    return true;
  }
}
