import { describe, expect, it } from 'vitest';
import type { LiveRoom } from '../../../src/core/live.ts';
import type { DesiredRoom } from '../../../src/kinds/room/desired.ts';
import { diffRoom, metadataEqual, type RoomDiffContext } from '../../../src/kinds/room/diff.ts';
import { aLiveRoom, aRoom } from './builders.ts';

const now = new Date('2026-03-30T10:00:00Z'); // a Monday
const base: RoomDiffContext = { owned: true, protected: false, occupied: 0, now, prune: false };
const source = { file: 'rooms/rooms.yaml', line: 1, col: 1 };

interface Row {
  name: string;
  desired: DesiredRoom | undefined;
  live: LiveRoom | undefined;
  ctx?: Partial<RoomDiffContext>;
  expected: {
    action?: string;
    reason?: string;
    changedFields?: string[];
    held?: string;
    heldReason?: RegExp;
    warning?: RegExp;
  };
}

const open9to17 = [{ start: '0 9 * * 1-5', durationMs: 8 * 3_600_000 }];
const closedNow = [{ start: '0 18 * * *', durationMs: 3_600_000 }];
const force = { preventDestroy: false, onOccupied: 'force' as const };

const rows: Row[] = [
  {
    name: 'absent and wanted: create',
    desired: aRoom({ name: 'a' }),
    live: undefined,
    expected: { action: 'create', reason: '', changedFields: [] },
  },
  {
    name: 'scheduled, window open, absent: create',
    desired: aRoom({ name: 'a', schedule: open9to17 }),
    live: undefined,
    expected: { action: 'create', reason: 'create_because_schedule_window_open' },
  },
  {
    name: 'scheduled, window closed, absent: nothing',
    desired: aRoom({ name: 'a', schedule: closedNow }),
    live: undefined,
    expected: {},
  },
  {
    name: 'equal: nothing',
    desired: aRoom({ name: 'a', emptyTimeout: 300, metadata: 'x' }),
    live: aLiveRoom({ name: 'a', metadata: 'x' }),
    expected: {},
  },
  {
    name: 'unset fields never diff against server defaults',
    desired: aRoom({ name: 'a' }),
    live: aLiveRoom({ name: 'a', emptyTimeout: 300, maxParticipants: 0, metadata: 'z' }),
    expected: {},
  },
  {
    name: '0 means server default and never diffs',
    desired: aRoom({ name: 'a', emptyTimeout: 0, maxParticipants: 0 }),
    live: aLiveRoom({ name: 'a', emptyTimeout: 300 }),
    expected: {},
  },
  {
    name: 'spec-only fields (agents, playout, syncStreams) never diff',
    desired: aRoom({
      name: 'a',
      agents: [{ agentName: 'bot' }],
      minPlayoutDelay: 100,
      syncStreams: true,
    }),
    live: aLiveRoom({ name: 'a' }),
    expected: {},
  },
  {
    name: 'metadata differs: update in place',
    desired: aRoom({ name: 'a', metadata: '{"v":2}' }),
    live: aLiveRoom({ name: 'a', metadata: '{"v":1}' }),
    expected: { action: 'update', reason: '', changedFields: ['metadata'] },
  },
  {
    name: 'metadata same JSON, other key order: nothing',
    desired: aRoom({ name: 'a', metadata: '{"a":1,"b":2}' }),
    live: aLiveRoom({ name: 'a', metadata: '{"b":2,"a":1}' }),
    expected: {},
  },
  {
    name: 'metadata update while occupied is fine',
    desired: aRoom({ name: 'a', metadata: 'new' }),
    live: aLiveRoom({ name: 'a', metadata: 'old' }),
    ctx: { occupied: 3 },
    expected: { action: 'update' },
  },
  {
    name: 'immutable field differs, empty: replace',
    desired: aRoom({ name: 'a', maxParticipants: 20 }),
    live: aLiveRoom({ name: 'a', maxParticipants: 10 }),
    expected: {
      action: 'replace',
      reason: 'replace_because_cannot_update',
      changedFields: ['maxParticipants'],
    },
  },
  {
    name: 'replace carries a metadata change along',
    desired: aRoom({ name: 'a', emptyTimeout: 600, metadata: 'n' }),
    live: aLiveRoom({ name: 'a', metadata: 'o' }),
    expected: { action: 'replace', changedFields: ['emptyTimeout', 'metadata'] },
  },
  {
    name: 'replace while occupied and wait: held',
    desired: aRoom({ name: 'a', departureTimeout: 60 }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { occupied: 2 },
    expected: { held: 'replace', heldReason: /2 participants.*onOccupied is wait/ },
  },
  {
    name: 'replace while occupied and force: replace with a warning',
    desired: aRoom({ name: 'a', departureTimeout: 60, lifecycle: force }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { occupied: 1 },
    expected: { action: 'replace', warning: /disconnects 1 participant/ },
  },
  {
    name: 'replace of a protected room: held',
    desired: aRoom({ name: 'a', maxParticipants: 5 }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { protected: true },
    expected: { held: 'replace', heldReason: /preventDestroy/ },
  },
  {
    name: 'unowned room with drift: held, never changed',
    desired: aRoom({ name: 'a', metadata: 'n', maxParticipants: 5 }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { owned: false },
    expected: { held: 'replace', heldReason: /did not create it/ },
  },
  {
    name: 'unowned room metadata drift: held',
    desired: aRoom({ name: 'a', metadata: 'n' }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { owned: false },
    expected: { held: 'update', heldReason: /did not create it/ },
  },
  {
    name: 'window closed, owned: delete',
    desired: aRoom({ name: 'a', schedule: closedNow }),
    live: aLiveRoom({ name: 'a' }),
    expected: { action: 'delete', reason: 'delete_because_schedule_window_closed' },
  },
  {
    name: 'window closed, unowned: held',
    desired: aRoom({ name: 'a', schedule: closedNow }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { owned: false },
    expected: { held: 'delete', heldReason: /did not create it/ },
  },
  {
    name: 'window closed, protected: held',
    desired: aRoom({ name: 'a', schedule: closedNow }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { protected: true },
    expected: { held: 'delete', heldReason: /preventDestroy/ },
  },
  {
    name: 'window closed, occupied and wait: held',
    desired: aRoom({ name: 'a', schedule: closedNow }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { occupied: 4 },
    expected: { held: 'delete', heldReason: /4 participants/ },
  },
  {
    name: 'window closed, occupied and force: delete',
    desired: aRoom({ name: 'a', schedule: closedNow, lifecycle: force }),
    live: aLiveRoom({ name: 'a' }),
    ctx: { occupied: 4 },
    expected: { action: 'delete' },
  },
  {
    name: 'spec removed, prune off: held',
    desired: undefined,
    live: aLiveRoom({ name: 'a' }),
    expected: { held: 'delete', heldReason: /--prune/ },
  },
  {
    name: 'spec removed, prune on: delete',
    desired: undefined,
    live: aLiveRoom({ name: 'a' }),
    ctx: { prune: true },
    expected: { action: 'delete', reason: 'delete_because_no_resource_config' },
  },
  {
    name: 'spec removed, protected in state: held',
    desired: undefined,
    live: aLiveRoom({ name: 'a' }),
    ctx: { prune: true, protected: true },
    expected: { held: 'delete', heldReason: /^protected by preventDestroy in state$/ },
  },
  {
    name: 'spec removed, occupied: held until empty',
    desired: undefined,
    live: aLiveRoom({ name: 'a' }),
    ctx: { prune: true, occupied: 1 },
    expected: { held: 'delete', heldReason: /1 participant;/ },
  },
  {
    name: 'spec removed, not owned (client room): nothing, even with prune',
    desired: undefined,
    live: aLiveRoom({ name: 'a' }),
    ctx: { prune: true, owned: false },
    expected: {},
  },
  { name: 'nothing anywhere: nothing', desired: undefined, live: undefined, expected: {} },
];

describe('kinds/room/diff', () => {
  it.each(rows)('$name', ({ desired, live, ctx, expected }) => {
    const outcome = diffRoom(desired, live, { ...base, ...ctx });

    expect(outcome.change?.action).toBe(expected.action);
    if (expected.reason !== undefined) expect(outcome.change?.actionReason).toBe(expected.reason);
    if (expected.changedFields !== undefined) {
      expect(outcome.change?.changedFields).toEqual(expected.changedFields);
    }
    expect(outcome.held?.action).toBe(expected.held);
    if (expected.heldReason !== undefined)
      expect(outcome.held?.reason).toMatch(expected.heldReason);
    if (expected.warning !== undefined) expect(outcome.warning).toMatch(expected.warning);
    else expect(outcome.warning).toBeUndefined();
  });

  it('builds a full create: after holds spec-only fields, payload is the CreateRoomInput', () => {
    const desired = aRoom({
      name: 'all-hands',
      emptyTimeout: 600,
      metadata: '{"topic":"q3"}',
      agents: [{ agentName: 'notes', metadata: 'm' }],
      maxPlayoutDelay: 200,
      syncStreams: true,
      source,
    });

    const outcome = diffRoom(desired, undefined, base);

    const expectedFields = {
      name: 'all-hands',
      emptyTimeout: 600,
      metadata: '{"topic":"q3"}',
      maxPlayoutDelay: 200,
      syncStreams: true,
      agents: [{ agentName: 'notes', metadata: 'm' }],
    };
    expect(outcome.change).toEqual({
      address: 'room.all-hands',
      kind: 'Room',
      name: 'all-hands',
      action: 'create',
      actionReason: '',
      before: null,
      after: expectedFields,
      changedFields: [],
      sensitivePaths: [],
      source,
      payload: expectedFields,
    });
  });

  it('builds an update with live before, desired after and a metadata payload', () => {
    const outcome = diffRoom(
      aRoom({ name: 'a', metadata: 'new' }),
      aLiveRoom({ name: 'a', metadata: 'old' }),
      base,
    );

    expect(outcome.change?.before).toEqual({
      name: 'a',
      emptyTimeout: 300,
      departureTimeout: 20,
      maxParticipants: 0,
      metadata: 'old',
    });
    expect(outcome.change?.after).toEqual({ name: 'a', metadata: 'new' });
    expect(outcome.change?.payload).toEqual({ name: 'a', metadata: 'new' });
  });

  it('builds a prune delete with no source, after null and a name payload', () => {
    const outcome = diffRoom(undefined, aLiveRoom({ name: 'gone' }), { ...base, prune: true });

    expect(outcome.change?.after).toBeNull();
    expect(outcome.change?.source).toBeUndefined();
    expect(outcome.change?.payload).toEqual({ name: 'gone' });
  });

  it.each([
    ['x', 'x', true],
    ['{"a":[1,{"b":2,"c":3}]}', '{"a":[1,{"c":3,"b":2}]}', true],
    ['{"a":[1,2]}', '{"a":[2,1]}', false],
    ['not json', 'not  json', false],
    ['', '{}', false],
  ])('metadataEqual(%j, %j) is %s', (a, b, equal) => {
    expect(metadataEqual(a, b)).toBe(equal);
  });
});
