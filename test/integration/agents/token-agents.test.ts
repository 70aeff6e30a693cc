import { Room } from '@livekit/rtc-node';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentWorker, type AgentWorker } from '../../harness/agent-worker.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { disposeRtc } from '../../harness/participants.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';
import { doc, roomService, waitForParticipants, writeSpecs } from '../moderation/helpers.ts';

describe('token --role brings agents (real server, real agent workers)', () => {
  const lk = liveKitEnv();
  let ws: Workspace;
  let receptionist: AgentWorker;
  let interpreter: AgentWorker;
  const client = new Room();

  beforeAll(async () => {
    ws = await createWorkspace('file');
    [receptionist, interpreter] = await Promise.all([
      startAgentWorker({ ...lk, agentName: `${ws.prefix}receptionist` }),
      startAgentWorker({ ...lk, agentName: `${ws.prefix}interpreter` }),
    ]);
  });
  afterAll(async () => {
    await client.disconnect();
    await disposeRtc();
    await Promise.all([receptionist.stop(), interpreter.stop()]);
    await ws.cleanup();
  });

  it("a first join auto-creates the room, and the room's and the Role's agents join it", async () => {
    const room = `${ws.prefix}support-desk`;
    await writeSpecs(ws.dir, [
      doc('Room', room, {
        agents: [{ agentName: `${ws.prefix}receptionist`, metadata: '{"lang":"en"}' }],
      }),
      doc('Role', 'guest', {
        grants: { canPublish: true, canSubscribe: true },
        agents: [{ agentName: `${ws.prefix}interpreter`, metadata: 'de' }],
      }),
      // A Role's agents must be declared somewhere (a typo would bring no agent at all).
      doc('Room', `${ws.prefix}interpreting`, {
        agents: [{ agentName: `${ws.prefix}interpreter` }],
      }),
    ]);
    expect(await roomService().listRooms([room])).toEqual([]);

    const minted = await ws.cli([
      'token',
      '--room',
      room,
      '--identity',
      'guest-1',
      '--role',
      'guest',
      '--format',
      'json',
    ]);
    expect(minted.stderr).toBe('');
    expect(minted.code).toBe(0);
    expect(minted.stdout).not.toContain(lk.apiSecret);
    const { token } = JSON.parse(minted.stdout) as { token: string };
    await client.connect(lk.wsUrl, token, { autoSubscribe: false, dynacast: false });

    const [r, i] = await Promise.all([
      receptionist.waitForJob((j) => j.room === room),
      interpreter.waitForJob((j) => j.room === room),
    ]);
    expect(r.metadata).toBe('{"lang":"en"}');
    expect(i.metadata).toBe('de');
    const ps = await waitForParticipants(
      room,
      (list) => list.filter((p) => p.kind === ParticipantInfo_Kind.AGENT).length === 2,
    );
    expect(ps.filter((p) => p.kind === ParticipantInfo_Kind.AGENT)).toHaveLength(2);
    expect(ps.map((p) => p.identity)).toContain('guest-1');
  });
});
