import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookEventData } from '../../../src/adapters/livekit/webhook.ts';
import { createDaemonMetrics } from '../../../src/adapters/metrics/registry.ts';
import { createStatusStore } from '../../../src/adapters/status/status-store.ts';
import { LiveKitError } from '../../../src/core/errors.ts';
import type { LiveParticipant } from '../../../src/core/live.ts';
import { createStatusFolds } from '../../../src/daemon/status-folds.ts';
import type { KindOutcome } from '../../../src/kinds/kind.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { openBed, type Bed } from '../persistent/bed.ts';

const ROOM = (md: string) =>
  `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: desk }\nspec:\n  agents: [{ agentName: receptionist, metadata: "${md}" }]\n`;
const SECRET = 'sk-do-not-show-0123456789';

describe('agent dispatch status: dispatches, agent participants, events and metrics through the registry', () => {
  let bed: Bed | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await bed?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    bed = dir = undefined;
  });

  async function setUp() {
    const fake = new FakeLiveKit();
    fake.registerAgent('receptionist');
    fake.addParticipant('desk', { identity: 'guest' });
    bed = await openBed(fake);
    dir = await mkdtemp(join(tmpdir(), 'lkg-agent-status-'));
    const status = createStatusStore({ dir, now: () => new Date().toISOString() });
    const metrics = createDaemonMetrics({ queueDepth: () => 0, defaults: false });
    const folds = createStatusFolds();
    return { fake, bed, status, metrics, folds };
  }

  async function foldInput(
    t: Awaited<ReturnType<typeof setUp>>,
    planned: Awaited<ReturnType<Bed['plan']>>,
    outcomes: readonly KindOutcome[],
    participants = new Map<string, LiveParticipant[]>(),
  ) {
    return {
      status: t.status,
      metrics: t.metrics,
      log: { info: () => undefined, warn: () => undefined },
      scope: undefined,
      specs: [],
      // The rooms live after apply (a room that is not live has no dispatches).
      observed: { rooms: await t.fake.listRooms() },
      participants,
      settled: planned.state,
      extras: planned,
      outcomes,
      now: new Date(),
      env: {},
      secretValues: [SECRET],
      requeueAt: () => undefined,
    };
  }
  it('a dispatch this tool made is listed with its owner; the agent participant joins and leaves; room_finished clears', async () => {
    const t = await setUp();
    const project = await t.bed.specs(ROOM('v1'));
    const planned = await t.bed.plan(project);
    const report = await t.bed.apply(project);
    t.folds.foldReconcile(await foldInput(t, planned, report.outcomes));

    const id = (await t.fake.listAgentDispatches('desk')).find(
      (d) => d.agentName === 'receptionist',
    )?.id;
    expect(id).toMatch(/^AD_/);
    const agents = t.status.peek('desk')?.agents;
    expect(agents?.dispatches).toEqual([
      { id, agentName: 'receptionist', owner: 'Room desk', jobs: [] },
    ]);
    expect(agents?.events.map((e) => [e.kind, e.dispatchId])).toEqual([['dispatched', id]]);
    const created = await t.metrics.registry.getSingleMetricAsString(
      'livekit_gitops_agent_dispatches_total',
    );
    expect(created).toContain('result="created",source="Room"} 1');

    const agent = (await t.fake.listParticipants('desk')).find((p) => p.kind === 'agent');
    expect(agent).toBeDefined();
    const event = (type: string, p?: LiveParticipant): WebhookEventData => ({
      event: type,
      id: `EV_${type}`,
      createdAtMs: Date.now(),
      room: { name: 'desk', sid: 'RM_x' } as NonNullable<WebhookEventData['room']>,
      ...(p ? { participant: p } : {}),
    });
    const ctx = { now: new Date().toISOString(), secretValues: [SECRET] };
    t.status.update('desk', (s) => t.folds.foldEvent(s, event('participant_joined', agent), ctx));
    const joined = t.status.peek('desk')?.agents?.participants ?? [];
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({
      identity: agent?.identity,
      kind: 'agent',
      agentName: 'receptionist',
    });
    expect(joined[0]?.jobId).toMatch(/^AJ_/);

    t.status.update('desk', (s) => t.folds.foldEvent(s, event('participant_left', agent), ctx));
    expect(t.status.peek('desk')?.agents?.participants).toEqual([]);
    expect(t.status.peek('desk')?.agents?.events.map((e) => e.kind)).toEqual([
      'dispatched',
      'joined',
      'left',
    ]);
    t.status.update('desk', (s) => t.folds.foldEvent(s, event('room_finished'), ctx));
    expect(t.status.peek('desk')?.agents?.dispatches).toEqual([]);
  });

  it('a failed create lands as an event with its message scrubbed of secrets, and is counted', async () => {
    const t = await setUp();
    const project = await t.bed.specs(ROOM('v1'));
    const planned = await t.bed.plan(project);
    const change = planned.plan.changes[0];
    expect(change?.address).toBe('agent-dispatch.desk.receptionist');
    if (!change) return;
    const failed: KindOutcome = {
      ok: false,
      change,
      error: new LiveKitError(
        'invalid',
        'AgentDispatchService.CreateDispatch',
        `refused with ${SECRET}`,
      ),
    };
    t.folds.foldReconcile(await foldInput(t, planned, [failed]));

    const text = JSON.stringify(t.status.peek('desk'));
    expect(text).not.toContain(SECRET);
    expect(t.status.peek('desk')?.agents?.events.map((e) => e.kind)).toEqual(['failed']);
    const counted = await t.metrics.registry.getSingleMetricAsString(
      'livekit_gitops_agent_dispatches_total',
    );
    expect(counted).toContain('result="failed",source="Room"} 1');
  });
});
