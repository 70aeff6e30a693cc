/**
 * The agent dispatch part of the LiveKitPort contract, for the SDK adapter against a real
 * livekit-server with a real @livekit/agents worker, and for the in-memory fake.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKitPort } from '../../src/adapters/livekit/port.ts';
import { LiveKitError } from '../../src/core/errors.ts';
import type { LiveParticipant } from '../../src/core/live.ts';

export interface AgentContractSubject {
  port: LiveKitPort;
  /** A worker registers `agentName` (explicit dispatch only) and takes every job for it. */
  startAgent(agentName: string): Promise<void>;
  dispose?(): Promise<void>;
}

/** Bounded wait: agents join and leave asynchronously (a real job takes about a second). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export function describeAgentDispatchContract(
  name: string,
  makeSubject: () => Promise<AgentContractSubject>,
): void {
  describe(`LiveKitPort agent dispatch contract: ${name}`, () => {
    let s: AgentContractSubject;
    let lk: LiveKitPort;
    const run = randomBytes(3).toString('hex');
    const room = (n: string): string => `agents-${run}-${n}`;
    const agentName = `contract-${run}`;

    beforeAll(async () => {
      s = await makeSubject();
      lk = s.port;
      await s.startAgent(agentName);
    });
    afterAll(async () => {
      const mine = (await lk.listRooms()).filter((r) => r.name.startsWith(`agents-${run}-`));
      for (const r of mine) await lk.deleteRoom(r.name);
      await s.dispose?.();
    });

    it('a room created without agents lists one automatic dispatch (empty agent name)', async () => {
      const name = room('auto');
      await lk.createRoom({ name });

      const ds = await lk.listAgentDispatches(name);

      expect(ds.map((d) => [d.room, d.agentName, d.metadata])).toEqual([[name, '', '']]);
      expect(ds[0]?.id).toMatch(/^AD_/);
    });

    it('a room created with agents lists exactly those', async () => {
      const name = room('declared');
      await lk.createRoom({
        name,
        agents: [{ agentName: 'absent-a', metadata: '{"lang":"en"}' }, { agentName: 'absent-b' }],
      });

      const ds = await lk.listAgentDispatches(name);

      expect(ds.map((d) => [d.agentName, d.metadata]).sort()).toEqual([
        ['absent-a', '{"lang":"en"}'],
        ['absent-b', ''],
      ]);
    });

    it('creates a dispatch: the worker takes it and its agent joins as kind agent; delete ends it', async () => {
      const name = room('live');
      await lk.createRoom({ name });

      const d = await lk.createAgentDispatch({ room: name, agentName, metadata: '{"n":1}' });

      expect(d).toMatchObject({ room: name, agentName, metadata: '{"n":1}' });
      expect(d.id).toMatch(/^AD_/);
      expect(d.createdAtMs).toBeGreaterThan(Date.UTC(2024, 0, 1));
      const listed = await lk.listAgentDispatches(name);
      expect(listed.find((x) => x.id === d.id)).toMatchObject({ agentName, metadata: '{"n":1}' });
      const agent = await eventually<LiveParticipant>(
        async () => (await lk.listParticipants(name)).find((p) => p.kind === 'agent'),
        'the agent to join',
      );
      expect(agent.attributes['lk.agent.name']).toBe(agentName);

      await lk.deleteAgentDispatch(name, d.id);

      expect((await lk.listAgentDispatches(name)).map((x) => x.id)).not.toContain(d.id);
      await eventually(
        async () =>
          (await lk.listParticipants(name)).some((p) => p.kind === 'agent') ? undefined : true,
        'the agent to leave',
      );
    });

    it('deleting a dispatch that does not exist counts as deleted', async () => {
      const name = room('gone');
      await lk.createRoom({ name });

      await expect(lk.deleteAgentDispatch(name, 'AD_doesnotexist')).resolves.toBeUndefined();
    });

    it('CreateDispatch into a room that does not exist creates the room', async () => {
      const name = room('implicit');

      await lk.createAgentDispatch({ room: name, agentName: 'absent-c', metadata: 'm' });

      expect((await lk.listRooms([name])).map((r) => r.name)).toEqual([name]);
      const ds = await lk.listAgentDispatches(name);
      expect(ds.map((d) => d.agentName).sort()).toEqual(['', 'absent-c']);
    });

    it('listing the dispatches of a room that does not exist is unavailable', async () => {
      const err = await lk.listAgentDispatches(room('nowhere')).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(LiveKitError);
      expect((err as LiveKitError).kind).toBe('unavailable');
    });
  });
}
