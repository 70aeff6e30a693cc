import { describe, expect, it } from 'vitest';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import type { LiveEgress, LiveRoom } from '../../../src/core/live.ts';
import type { ResourceChange } from '../../../src/core/plan.ts';
import { renderPlanJson } from '../../../src/core/render-json.ts';
import { renderPlanMarkdown } from '../../../src/core/render-markdown.ts';
import { renderPlanText } from '../../../src/core/render-text.ts';
import { assemblePlan } from '../../../src/core/plan-assembly.ts';
import type { DesiredRecordingPolicy } from '../../../src/kinds/recording-policy/desired.ts';
import {
  fingerprintOf,
  summaryOfPolicyRequest,
} from '../../../src/kinds/recording-policy/fingerprint.ts';
import {
  DEFAULT_RECORDING_OPTIONS,
  type RecordingOptions,
} from '../../../src/kinds/recording-policy/options.ts';
import {
  bindRecording,
  holdingAddresses,
  planRecordings,
  type RecordingPlanInput,
} from '../../../src/kinds/recording-policy/planner.ts';
import { settleRecordingInventory } from '../../../src/kinds/recording-policy/settle.ts';
import { aLiveRoom } from '../room/builders.ts';

const NOW = new Date('2026-09-01T12:00:00Z');
const OPTIONS: RecordingOptions = { ...DEFAULT_RECORDING_OPTIONS, retryBaseMs: 1_000 };

function policy(name: string, over: Partial<DesiredRecordingPolicy> = {}): DesiredRecordingPolicy {
  return {
    name,
    rooms: { names: [], match: ['webinar-*'], labels: {} },
    when: { minParticipants: 2, minPublishers: 0 },
    request: {
      roomComposite: { layout: 'speaker' },
      outputs: [
        {
          file: {
            filepath: `rec/${name}/{room_name}.mp4`,
            s3: { bucket: 'rec', accessKey: { fromEnv: 'REC_AK' }, secret: { fromEnv: 'REC_SK' } },
          },
        },
        { stream: { protocol: 'rtmp', urls: [{ fromEnv: 'YT_URL' }] } },
      ],
    },
    baseDir: '.',
    specHash: name,
    ...over,
  };
}

function room(name: string, participants: number, publishers = 0): LiveRoom {
  return aLiveRoom({
    name,
    numParticipants: participants,
    numPublishers: publishers,
    creationTimeMs: 0,
  });
}

function egressOf(
  p: DesiredRecordingPolicy,
  roomName: string,
  id: string,
  status: LiveEgress['status'] = 'active',
): LiveEgress {
  return {
    egressId: id,
    roomName,
    roomId: `RM_${roomName}`,
    status,
    source: 'roomComposite',
    startedAtMs: NOW.getTime() - 60_000,
    endedAtMs: 0,
    updatedAtMs: NOW.getTime(),
    error: '',
    fileResults: [],
    streamResults: [],
    request: summaryOfPolicyRequest(p.request),
  };
}

function input(
  policies: DesiredRecordingPolicy[],
  rooms: LiveRoom[],
  active: LiveEgress[] = [],
): RecordingPlanInput {
  return { policies, rooms, labelsOf: new Map(), active, options: OPTIONS };
}

function owning(
  state: StateDocument,
  address: string,
  policyName: string,
  egressId: string,
): StateDocument {
  return {
    ...state,
    owned: {
      ...state.owned,
      [address]: {
        address,
        kind: 'RecordingPolicy',
        name: policyName,
        serverId: egressId,
        since: NOW.toISOString(),
      },
    },
  };
}

function actions(changes: ResourceChange[]): string[] {
  return changes.map(
    (c) => `${c.action} ${c.address}${c.actionReason ? ` (${c.actionReason.split(':')[0]})` : ''}`,
  );
}

const sales = policy('sales');
const audit = policy('audit', { when: { minParticipants: 1, minPublishers: 0 } });
const A = 'recording.sales.webinar-1';

describe('recording planner', () => {
  const cases: {
    name: string;
    policies: DesiredRecordingPolicy[];
    rooms: LiveRoom[];
    active?: LiveEgress[];
    state?: StateDocument;
    want: string[];
    held?: string[];
  }[] = [
    {
      name: 'too few participants: nothing',
      policies: [sales],
      rooms: [room('webinar-1', 1)],
      want: [],
    },
    {
      name: 'enough participants: start',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      want: [`start ${A} (policy_holds)`],
    },
    { name: 'room not selected', policies: [sales], rooms: [room('other', 5)], want: [] },
    {
      name: 'minPublishers not met',
      policies: [policy('sales', { when: { minParticipants: 1, minPublishers: 1 } })],
      rooms: [room('webinar-1', 3, 0)],
      want: [],
    },
    {
      name: 'already recording (owned and active): nothing',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      active: [egressOf(sales, 'webinar-1', 'EG_1')],
      state: owning(emptyState('l'), A, 'sales', 'EG_1'),
      want: [],
    },
    {
      name: 'participants left: stop',
      policies: [sales],
      rooms: [room('webinar-1', 0)],
      active: [egressOf(sales, 'webinar-1', 'EG_1')],
      state: owning(emptyState('l'), A, 'sales', 'EG_1'),
      want: [`stop ${A} (policy_no_longer_holds)`],
    },
    {
      name: 'room gone: stop',
      policies: [sales],
      rooms: [],
      active: [egressOf(sales, 'webinar-1', 'EG_1')],
      state: owning(emptyState('l'), A, 'sales', 'EG_1'),
      want: [`stop ${A} (room_not_selected_or_gone)`],
    },
    {
      name: 'policy removed: its egress stopped, the other policy untouched',
      policies: [audit],
      rooms: [room('webinar-1', 2)],
      active: [egressOf(sales, 'webinar-1', 'EG_1'), egressOf(audit, 'webinar-1', 'EG_2')],
      state: owning(
        owning(emptyState('l'), A, 'sales', 'EG_1'),
        'recording.audit.webinar-1',
        'audit',
        'EG_2',
      ),
      want: [`stop ${A} (delete_because_no_resource_config)`],
    },
    {
      name: 'two policies on one room: two starts',
      policies: [sales, audit],
      rooms: [room('webinar-1', 2)],
      want: ['start recording.audit.webinar-1 (policy_holds)', `start ${A} (policy_holds)`],
    },
    {
      name: 'an egress by someone else is not ours: start anyway (no pending)',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      active: [
        {
          ...egressOf(sales, 'webinar-1', 'EG_x'),
          request: { source: 'web', detail: {}, outputs: [] },
        },
      ],
      want: [`start ${A} (policy_holds)`],
    },
    {
      name: 'pending start, no egress yet: held, never a second start',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      state: {
        ...emptyState('l'),
        pending: {
          [A]: {
            address: A,
            operation: 'start',
            startedAt: NOW.toISOString(),
            match: { policy: 'sales', room: 'webinar-1', fingerprint: 'x' },
          },
        },
      },
      want: [],
      held: [A],
    },
    {
      name: 'backoff after a failure: held until retryAt',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      state: {
        ...emptyState('l'),
        recordings: {
          [A]: {
            policy: 'sales',
            room: 'webinar-1',
            failures: 1,
            retryAt: new Date(NOW.getTime() + 5_000).toISOString(),
          },
        },
      },
      want: [],
      held: [A],
    },
    {
      name: 'backoff over: retry',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      state: {
        ...emptyState('l'),
        recordings: {
          [A]: {
            policy: 'sales',
            room: 'webinar-1',
            failures: 2,
            retryAt: new Date(NOW.getTime() - 1).toISOString(),
          },
        },
      },
      want: [`start ${A} (retry_after_failure)`],
    },
    {
      name: 'cap reached: held with a warning',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      state: {
        ...emptyState('l'),
        recordings: {
          [A]: { policy: 'sales', room: 'webinar-1', failures: OPTIONS.maxRetries + 1 },
        },
      },
      want: [],
      held: [A],
    },
    {
      name: 'a second egress with our request in the room: stopped as a duplicate',
      policies: [sales],
      rooms: [room('webinar-1', 2)],
      active: [egressOf(sales, 'webinar-1', 'EG_1'), egressOf(sales, 'webinar-1', 'EG_2')],
      state: owning(emptyState('l'), A, 'sales', 'EG_1'),
      want: [`stop ${A}.duplicate.EG_2 (duplicate_egress)`],
    },
  ];

  it.each(cases)('$name', (c) => {
    const r = planRecordings(
      input(c.policies, c.rooms, c.active ?? []),
      c.state ?? emptyState('l'),
      NOW,
    );
    expect(actions(r.changes)).toEqual(c.want);
    expect(r.held.map((h) => h.address)).toEqual(c.held ?? []);
  });

  it('selects rooms by labels of Room specs, not client-created ones', () => {
    const p = policy('labelled', { rooms: { names: [], match: [], labels: { team: 'sales' } } });
    const i = {
      ...input([p], [room('declared', 2), room('client-made', 2)]),
      labelsOf: new Map([['declared', { team: 'sales' }]]),
    };
    expect(actions(planRecordings(i, emptyState('l'), NOW).changes)).toEqual([
      'start recording.labelled.declared (policy_holds)',
    ]);
  });

  it('respects schedule windows', () => {
    const p = policy('sched', {
      when: {
        minParticipants: 1,
        minPublishers: 0,
        schedule: [{ start: '0 9 * * *', durationMs: 3_600_000 }],
      },
    });
    const i = input([p], [room('webinar-1', 3)]);
    expect(
      planRecordings(i, emptyState('l'), new Date('2026-09-01T09:30:00Z')).changes,
    ).toHaveLength(1);
    expect(
      planRecordings(i, emptyState('l'), new Date('2026-09-01T12:00:00Z')).changes,
    ).toHaveLength(0);
  });
});

describe('recording settle', () => {
  const fp = fingerprintOf(summaryOfPolicyRequest(sales.request));
  const pendingState: StateDocument = {
    ...emptyState('l'),
    pending: {
      [A]: {
        address: A,
        operation: 'start',
        startedAt: new Date(NOW.getTime() - 2_000).toISOString(),
        match: { policy: 'sales', room: 'webinar-1', fingerprint: fp },
      },
    },
  };
  const settle = (
    state: StateDocument,
    active: LiveEgress[],
    extra: { ended?: LiveEgress[]; lost?: string[]; now?: Date } = {},
  ) =>
    settleRecordingInventory({
      state,
      observation: { active, ended: extra.ended ?? [], lost: extra.lost ?? [] },
      holding: new Set([A]),
      now: extra.now ?? NOW,
      options: OPTIONS,
    });

  it('adopts the egress of a start whose answer was lost, and then plans nothing', () => {
    const active = [egressOf(sales, 'webinar-1', 'EG_late')];
    const { state, events } = settle(pendingState, active);
    expect(state.owned[A]?.serverId).toBe('EG_late');
    expect(state.pending[A]).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['adopted']);
    expect(
      planRecordings(input([sales], [room('webinar-1', 2)], active), state, NOW).changes,
    ).toEqual([]);
  });

  it('does not adopt an egress owned by another address or with another request', () => {
    const other = { ...egressOf(audit, 'webinar-1', 'EG_a') };
    const { state } = settle(owning(pendingState, 'recording.x.webinar-1', 'x', 'EG_b'), [
      other,
      egressOf(sales, 'webinar-1', 'EG_b'),
    ]);
    expect(state.pending[A]).toBeDefined();
    expect(state.owned[A]).toBeUndefined();
  });

  it('an unanswered start with nothing listed counts as a failure after the grace period', () => {
    const later = new Date(NOW.getTime() + OPTIONS.pendingGraceMs);
    const { state, events } = settle(pendingState, [], { now: later });
    expect(state.pending[A]).toBeUndefined();
    expect(state.recordings?.[A]?.failures).toBe(1);
    expect(events[0]?.kind).toBe('unanswered');
  });

  it('a FAILED egress counts with backoff; a lost one is replaced at once and never adopted again', () => {
    const failedEgress = {
      ...egressOf(sales, 'webinar-1', 'EG_1'),
      status: 'failed' as const,
      error: 'boom',
    };
    const failed = settle(owning(emptyState('l'), A, 'sales', 'EG_1'), [], {
      ended: [failedEgress],
    });
    expect(failed.state.recordings?.[A]).toMatchObject({
      failures: 1,
      lastError: 'egress failed: boom',
    });
    expect(failed.state.recordings?.[A]?.retryAt).toBe(
      new Date(NOW.getTime() + 1_000).toISOString(),
    );

    const active = [egressOf(sales, 'webinar-1', 'EG_1')];
    const lost = settle(owning(emptyState('l'), A, 'sales', 'EG_1'), active, { lost: ['EG_1'] });
    expect(lost.state.owned[A]).toBeUndefined();
    expect(lost.state.recordings?.[A]).toMatchObject({ failures: 1, lost: ['EG_1'] });
    expect(lost.events[0]?.kind).toBe('lost');
    const plan = planRecordings(input([sales], [room('webinar-1', 2)], active), lost.state, NOW);
    expect(actions(plan.changes)).toEqual([`start ${A} (replace_lost_egress)`]);
    // A pending start after the loss does not adopt the lost egress.
    const again = settle({ ...lost.state, pending: pendingState.pending }, active);
    expect(again.state.owned[A]).toBeUndefined();
  });

  it('holding addresses follow the policy', () => {
    expect([
      ...holdingAddresses(input([sales], [room('webinar-1', 2), room('webinar-2', 1)]), NOW),
    ]).toEqual([A]);
  });
});

describe('recording plan rendering', () => {
  it('shows > and x with policy and room; secret references and values never appear', () => {
    const secret = 'rtmp://a.example/live/STREAMKEY123';
    const active = [egressOf(sales, 'webinar-2', 'EG_9')];
    const plan = assemblePlan({
      kinds: [bindRecording(input([sales], [room('webinar-1', 2), room('webinar-2', 0)], active))],
      state: owning(emptyState('l'), 'recording.sales.webinar-2', 'sales', 'EG_9'),
      now: NOW,
      prune: false,
      toolVersion: 't',
      specHash: 'h',
    });
    const text = renderPlanText(plan, { color: false, secretValues: [secret] });
    expect(text).toContain('> recording.sales.webinar-1');
    expect(text).toContain('x recording.sales.webinar-2');
    const json = JSON.stringify(renderPlanJson(plan, { secretValues: [secret] }));
    const md = renderPlanMarkdown(plan, { secretValues: [secret] });
    for (const out of [text, md]) {
      expect(out).not.toContain('REC_AK');
      expect(out).not.toContain('YT_URL');
    }
    // The JSON plan is also the saved plan: its payload keeps references (names), never values.
    for (const out of [text, json, md]) expect(out).not.toContain('STREAMKEY123');
    expect(json).toContain('"accessKey":"(sensitive)"');
    expect(md).toContain('recording.sales.webinar-1');
    const start = plan.changes.find((c) => c.action === 'start');
    expect(start?.sensitivePaths).toEqual([
      'outputs.0.file.s3.accessKey',
      'outputs.0.file.s3.secret',
      'outputs.1.stream.urls.0',
    ]);
  });
});
