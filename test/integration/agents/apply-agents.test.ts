import type { Room } from '@livekit/rtc-node';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import { AgentDispatchClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentWorker, type AgentWorker } from '../../harness/agent-worker.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { waitForParticipants } from '../moderation/helpers.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';

const agents = (ps: Awaited<ReturnType<typeof waitForParticipants>>) =>
  ps.filter((p) => p.kind === ParticipantInfo_Kind.AGENT);

describe('apply dispatches declared agents (real server, real agent worker)', () => {
  const lk = liveKitEnv();
  let ws: Workspace;
  let worker: AgentWorker;
  let agentName: string;
  const clients: Room[] = [];
  const dispatch = new AgentDispatchClient(lk.url, lk.apiKey, lk.apiSecret);

  beforeAll(async () => {
    ws = await createWorkspace('file');
    agentName = `${ws.prefix}receptionist`;
    worker = await startAgentWorker({ ...lk, agentName });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.disconnect()));
    await disposeRtc();
    await worker.stop();
    await ws.cleanup();
  });

  it('a room the tool creates brings its agent: it gets the job with its metadata and joins as AGENT; then plan is empty', async () => {
    await ws.writeRooms({ desk: { agents: [{ agentName, metadata: '{"lang":"en"}' }] } });

    const applied = await ws.cli(['apply', '--auto-approve']);

    expect(applied.code, applied.stderr).toBe(0);
    const room = `${ws.prefix}desk`;
    const job = await worker.waitForJob((j) => j.room === room);
    expect(job.metadata).toBe('{"lang":"en"}');
    const ps = await waitForParticipants(room, (list) => agents(list).length === 1);
    expect(agents(ps)).toHaveLength(1);
    const plan = await ws.cli(['plan', '--detailed-exitcode']);
    expect(plan.stdout).toContain('No changes');
    expect(plan.code).toBe(0);
    const out = applied.stdout + applied.stderr + plan.stdout + plan.stderr;
    expect(out).not.toContain(lk.apiSecret);
  });

  it("a live room: added agent dispatched, metadata change replaced, removal deletes and the agent leaves; someone else's dispatch survives apply and prune", async () => {
    const room = `${ws.prefix}live`;
    clients.push((await joinParticipant(lk, { room, identity: 'guest' })).room);
    const theirs = await dispatch.createDispatch(room, `${ws.prefix}other`, { metadata: 'x' });
    await ws.writeRooms({ live: { agents: [{ agentName, metadata: 'v1' }] } });

    const plan = await ws.cli(['plan']);
    expect(plan.stdout).toContain(`+ agent-dispatch.${room}.${agentName}`);
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    await worker.waitForJob((j) => j.room === room && j.metadata === 'v1');
    expect(agents(await waitForParticipants(room, (l) => agents(l).length === 1))).toHaveLength(1);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);

    await ws.writeRooms({ live: { agents: [{ agentName, metadata: 'v2' }] } });
    const replace = await ws.cli(['plan']);
    expect(replace.stdout).toContain(`-/+ agent-dispatch.${room}.${agentName}`);
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    await worker.waitForJob((j) => j.room === room && j.metadata === 'v2');
    const mine = (await dispatch.listDispatch(room)).filter((d) => d.agentName === agentName);
    expect(mine.map((d) => d.metadata)).toEqual(['v2']);

    await ws.writeRooms({ live: {} });
    const removal = await ws.cli(['apply', '--auto-approve', '--prune']);
    expect(removal.code, removal.stderr).toBe(0);
    const left = await waitForParticipants(room, (l) => agents(l).length === 0);
    expect(agents(left)).toEqual([]);
    const after = await dispatch.listDispatch(room);
    expect(after.map((d) => d.agentName)).not.toContain(agentName);
    expect(after.map((d) => d.id)).toContain(theirs.id);
    expect((await ws.cli(['plan', '--detailed-exitcode', '--prune'])).code).toBe(0);
  });
});
