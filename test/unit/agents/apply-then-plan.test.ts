import { afterEach, describe, expect, it } from 'vitest';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { openBed, type Bed } from '../persistent/bed.ts';

const H = 'apiVersion: livekit-gitops/v1\n';
function room(name: string, spec: string): string {
  return `${H}kind: Room\nmetadata: { name: ${name} }\nspec:\n${spec}`;
}
function policy(name: string, spec: string): string {
  return `${H}kind: AgentPolicy\nmetadata: { name: ${name} }\nspec:\n${spec}`;
}

describe('agent dispatch: apply, then plan is empty (in-memory fake)', () => {
  let bed: Bed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  async function setUp(): Promise<{ fake: FakeLiveKit; bed: Bed }> {
    const fake = new FakeLiveKit();
    fake.registerAgent('receptionist');
    fake.registerAgent('transcriber');
    bed = await openBed(fake);
    return { fake, bed };
  }

  it('agents of a room the tool creates go with CreateRoom and are adopted: then plans nothing', async () => {
    const { fake, bed } = await setUp();
    const project = await bed.specs(
      room('desk', '  agents: [{ agentName: receptionist, metadata: "{\\"lang\\":\\"en\\"}" }]\n'),
    );

    const report = await bed.apply(project);

    expect(report.outcomes.map((o) => [o.change.address, o.ok])).toEqual([['room.desk', true]]);
    expect((await fake.listAgentDispatches('desk')).map((d) => d.agentName)).toEqual([
      'receptionist',
    ]);
    const next = await bed.plan(project);
    expect(next.plan.changes).toEqual([]);
    expect(next.agentEvents?.map((e) => e.type)).toEqual(['adopted']);
  });

  it('a live room gets its declared agent once; metadata change replaces; removal deletes; then plan is empty', async () => {
    const { fake, bed } = await setUp();
    fake.addParticipant('desk', { identity: 'guest' });
    const declared = (md: string): string =>
      room('desk', `  agents: [{ agentName: receptionist, metadata: "${md}" }]\n`);

    let project = await bed.specs(declared('v1'));
    const first = await bed.apply(project);
    expect(first.outcomes.map((o) => [o.change.address, o.change.action])).toEqual([
      ['agent-dispatch.desk.receptionist', 'create'],
    ]);
    expect((await bed.plan(project)).plan.changes).toEqual([]);

    project = await bed.specs(declared('v2'));
    const changed = await bed.plan(project);
    expect(changed.plan.changes.map((c) => [c.action, c.changedFields])).toEqual([
      ['replace', ['metadata']],
    ]);
    await bed.apply(project);
    const ds = await fake.listAgentDispatches('desk');
    expect(ds.filter((d) => d.agentName === 'receptionist').map((d) => d.metadata)).toEqual(['v2']);
    expect((await bed.plan(project)).plan.changes).toEqual([]);

    project = await bed.specs(room('desk', '  maxParticipants: 0\n'));
    const removal = await bed.plan(project);
    expect(removal.plan.changes.map((c) => [c.action, c.actionReason])).toEqual([
      ['delete', 'agent_no_longer_declared'],
    ]);
    await bed.apply(project);
    expect((await fake.listParticipants('desk')).map((p) => p.kind)).toEqual(['standard']);
    expect((await bed.plan(project)).plan.changes).toEqual([]);
  });

  it('never touches a dispatch someone else made, nor adds a second one of that agent', async () => {
    const { fake, bed } = await setUp();
    fake.addParticipant('desk', { identity: 'guest' });
    const theirs = await fake.createAgentDispatch({ room: 'desk', agentName: 'receptionist' });
    const project = await bed.specs(room('desk', '  agents: [{ agentName: receptionist }]\n'));

    expect((await bed.plan(project)).plan.changes).toEqual([]);
    await bed.apply(project, true);

    expect((await fake.listAgentDispatches('desk')).map((d) => d.id)).toContain(theirs.id);
    expect(fake.callsOf('createAgentDispatch')).toHaveLength(1);
  });

  it('a policy dispatches into client-created rooms it selects once its condition holds, once per session', async () => {
    const { fake, bed } = await setUp();
    const project = await bed.specs(
      policy(
        'transcribe',
        '  rooms: { match: ["support-*"] }\n  agent: { agentName: transcriber, metadata: m }\n  when: { minParticipants: 2 }\n',
      ),
    );
    fake.addParticipant('support-1', { identity: 'a' });
    fake.addParticipant('other-1', { identity: 'a' });
    fake.addParticipant('other-1', { identity: 'b' });

    expect((await bed.plan(project)).plan.changes).toEqual([]);
    fake.addParticipant('support-1', { identity: 'b' });
    const report = await bed.apply(project);

    expect(report.outcomes.map((o) => o.change.address)).toEqual([
      'agent-dispatch.support-1.transcriber',
    ]);
    expect((await bed.plan(project)).plan.changes).toEqual([]);
    fake.leave('support-1', 'b');
    // Not removed (removeWhenUnmet is off), and not dispatched again when it holds again.
    expect((await bed.plan(project)).plan.changes).toEqual([]);
    fake.addParticipant('support-1', { identity: 'c' });
    expect((await bed.plan(project)).plan.changes).toEqual([]);
    expect(fake.callsOf('createAgentDispatch')).toHaveLength(1);
    expect(await fake.listAgentDispatches('other-1')).toHaveLength(1);
  });

  it('removeWhenUnmet deletes the dispatch when the condition stops holding', async () => {
    const { fake, bed } = await setUp();
    const project = await bed.specs(
      policy(
        'transcribe',
        '  rooms: { names: [support-1] }\n  agent: { agentName: transcriber }\n  when: { minParticipants: 1 }\n  removeWhenUnmet: true\n',
      ),
    );
    fake.addParticipant('support-1', { identity: 'a' });
    await bed.apply(project);
    fake.leave('support-1', 'a');

    const unmet = await bed.plan(project);
    expect(unmet.plan.changes.map((c) => [c.action, c.actionReason])).toEqual([
      ['delete', 'policy_no_longer_holds: 0 of 1 participants (standard, sip)'],
    ]);
    await bed.apply(project);
    expect((await fake.listAgentDispatches('support-1')).map((d) => d.agentName)).toEqual(['']);
    expect((await bed.plan(project)).plan.changes).toEqual([]);
  });

  it('a create whose answer was lost is adopted from ListDispatch, never made twice', async () => {
    const { fake, bed } = await setUp();
    const guest = fake.addParticipant('desk', { identity: 'guest' });
    const project = await bed.specs(
      room('desk', '  agents: [{ agentName: receptionist, metadata: x }]\n'),
    );
    const planned = await bed.plan(project);
    const change = planned.plan.changes[0]!;
    expect(change.address).toBe('agent-dispatch.desk.receptionist');
    // The marker was written and the call reached the server, but the process died before the
    // state write: only the marker is in state.
    const lock = await bed.lock();
    await lock.update((doc) => {
      doc.pending[change.address] = {
        address: change.address,
        operation: 'create',
        startedAt: new Date().toISOString(),
        match: {
          name: 'desk',
          room: 'desk',
          roomSid: change.payload['roomSid'] as string,
          agentName: 'receptionist',
          metadata: 'x',
          source: 'Room',
        },
      };
    });
    await lock.release();
    await fake.createAgentDispatch({ room: 'desk', agentName: 'receptionist', metadata: 'x' });

    const after = await bed.plan(project);
    expect(after.plan.changes).toEqual([]);
    expect(after.agentEvents?.map((e) => e.type)).toEqual(['adopted']);
    await bed.apply(project);

    expect(fake.callsOf('createAgentDispatch')).toHaveLength(1);
    expect((await fake.listParticipants('desk')).filter((p) => p.kind === 'agent')).toHaveLength(1);
    expect(guest.identity).toBe('guest');
    expect((await bed.state()).owned[change.address]?.serverId).toMatch(/^AD_/);
  });
});
