import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../src/core/inventory.ts';
import { stateHashOf } from '../../../src/core/plan-assembly.ts';
import { assembleRoomPlan, type RoomPlanInput } from '../../../src/kinds/room/planner.ts';
import { aLiveRoom, aRoom, stateOwning } from './builders.ts';

const now = new Date('2026-03-30T10:00:00Z');

function input(overrides: Partial<RoomPlanInput>): RoomPlanInput {
  return {
    rooms: [],
    live: [],
    state: emptyState('lineage-1'),
    now,
    prune: true,
    toolVersion: '0.1.0',
    specHash: 'fnv1a64:0000000000000001',
    ...overrides,
  };
}

describe('kinds/room/planner assembleRoomPlan', () => {
  it('orders creates and updates by address, then replaces, then deletes', () => {
    const live = [
      aLiveRoom({ name: 'm-update', metadata: 'old' }),
      aLiveRoom({ name: 'b-replace', maxParticipants: 1 }),
      aLiveRoom({ name: 'a-delete' }),
      aLiveRoom({ name: 'z-delete' }),
    ];
    const rooms = [
      aRoom({ name: 'z-create' }),
      aRoom({ name: 'm-update', metadata: 'new' }),
      aRoom({ name: 'b-replace', maxParticipants: 2 }),
      aRoom({ name: 'c-create' }),
    ];

    const plan = assembleRoomPlan(input({ rooms, live, state: stateOwning(live) }));

    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'create room.c-create',
      'update room.m-update',
      'create room.z-create',
      'replace room.b-replace',
      'delete room.a-delete',
      'delete room.z-delete',
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const rooms = [aRoom({ name: 'b' }), aRoom({ name: 'a' }), aRoom({ name: 'c' })];
    const live = [aLiveRoom({ name: 'c', metadata: 'x' })];

    const one = assembleRoomPlan(input({ rooms, live }));
    const two = assembleRoomPlan(input({ rooms: [...rooms].reverse(), live }));

    expect(two).toEqual(one);
  });

  it('stamps times, versions and hashes', () => {
    const evaluatedAt = new Date('2026-04-01T08:00:00Z');

    const plan = assembleRoomPlan(input({ evaluatedAt }));

    expect(plan.createdAt).toBe('2026-03-30T10:00:00.000Z');
    expect(plan.evaluatedAt).toBe('2026-04-01T08:00:00.000Z');
    expect(plan.toolVersion).toBe('0.1.0');
    expect(plan.specHash).toBe('fnv1a64:0000000000000001');
    expect(plan.stateHash).toBe(stateHashOf(emptyState('lineage-1')));
    expect(plan.liveHash).toMatch(/^fnv1a64:/);
  });

  it('evaluates schedules at evaluatedAt (--at), not at now', () => {
    const rooms = [
      aRoom({ name: 'evening', schedule: [{ start: '0 18 * * *', durationMs: 3_600_000 }] }),
    ];

    const atNow = assembleRoomPlan(input({ rooms }));
    const atSix = assembleRoomPlan(input({ rooms, evaluatedAt: new Date('2026-03-30T18:30:00Z') }));

    expect(atNow.changes).toEqual([]);
    expect(atSix.changes.map((c) => c.action)).toEqual(['create']);
  });

  it('never touches a client-created room: no change, not in the live hash', () => {
    const quiet = assembleRoomPlan(input({ live: [] }));

    const withClientRoom = assembleRoomPlan(
      input({ live: [aLiveRoom({ name: 'someone-elses' })] }),
    );

    expect(withClientRoom.changes).toEqual([]);
    expect(withClientRoom.held).toEqual([]);
    expect(withClientRoom.liveHash).toBe(quiet.liveHash);
  });

  it('does not own a room re-created by a client under an owned name (different sid)', () => {
    const original = aLiveRoom({ name: 'town-hall', sid: 'RM_original' });
    const state = stateOwning([original]);

    const plan = assembleRoomPlan(
      input({ live: [aLiveRoom({ name: 'town-hall', sid: 'RM_client' })], state }),
    );

    expect(plan.changes).toEqual([]);
  });

  it('counts a pending create as owned, so a killed apply converges', () => {
    const state = emptyState('lineage-1');
    state.pending['room.a'] = {
      address: 'room.a',
      operation: 'create',
      startedAt: '2026-03-30T09:59:00.000Z',
      match: { name: 'a' },
    };

    const plan = assembleRoomPlan(
      input({
        rooms: [aRoom({ name: 'a', metadata: 'm' })],
        live: [aLiveRoom({ name: 'a' })],
        state,
      }),
    );

    expect(plan.changes.map((c) => c.action)).toEqual(['update']);
  });

  it('keeps preventDestroy from state after the spec is removed', () => {
    const live = [aLiveRoom({ name: 'keep' })];

    const plan = assembleRoomPlan(input({ live, state: stateOwning(live, ['keep']) }));

    expect(plan.changes).toEqual([]);
    expect(plan.held).toEqual([
      {
        address: 'room.keep',
        kind: 'Room',
        name: 'keep',
        action: 'delete',
        reason: 'protected by preventDestroy in state',
      },
    ]);
  });

  it('asks the executor to record protections declared by specs and lifted explicitly', () => {
    const live = [aLiveRoom({ name: 'old' }), aLiveRoom({ name: 'new' })];
    const rooms = [
      aRoom({ name: 'new', lifecycle: { preventDestroy: true, onOccupied: 'wait' } }),
      aRoom({ name: 'old' }),
    ];

    const plan = assembleRoomPlan(input({ rooms, live, state: stateOwning(live, ['old']) }));

    expect(plan.protections).toEqual({ protect: ['room.new'], unprotect: ['room.old'] });
  });

  it('holds back a replace while occupied, using the occupancy map over numParticipants', () => {
    const live = [aLiveRoom({ name: 'busy', maxParticipants: 5, numParticipants: 0 })];
    const rooms = [aRoom({ name: 'busy', maxParticipants: 10 })];

    const plan = assembleRoomPlan(
      input({ rooms, live, state: stateOwning(live), occupancy: new Map([['busy', 2]]) }),
    );

    expect(plan.changes).toEqual([]);
    expect(plan.held.map((h) => h.action)).toEqual(['replace']);
  });

  it('moves the live hash when a decision-relevant field moves, not on joins that change nothing', () => {
    const rooms = [aRoom({ name: 'a' })];
    const at = (live: Parameters<typeof aLiveRoom>[0]) =>
      assembleRoomPlan(input({ rooms, live: [aLiveRoom(live)] })).liveHash;

    const base = at({ name: 'a', numParticipants: 1 });

    expect(at({ name: 'a', numParticipants: 5 })).toBe(base);
    expect(at({ name: 'a', numParticipants: 0 })).not.toBe(base);
    expect(at({ name: 'a', numParticipants: 1, metadata: 'x' })).not.toBe(base);
    expect(at({ name: 'a', numParticipants: 1, sid: 'RM_other' })).not.toBe(base);
  });

  it('moves the state hash with ownership and protections, not with timestamps', () => {
    const owned = stateOwning([aLiveRoom({ name: 'a' })]);
    const sameButLater = stateOwning([aLiveRoom({ name: 'a' })]);
    const ownedA = sameButLater.owned['room.a'];
    if (ownedA !== undefined) ownedA.since = '2027-01-01T00:00:00.000Z';
    sameButLater.serial = 9;

    expect(stateHashOf(sameButLater)).toBe(stateHashOf(owned));
    expect(stateHashOf(stateOwning([aLiveRoom({ name: 'a' })], ['a']))).not.toBe(
      stateHashOf(owned),
    );
    expect(stateHashOf(emptyState('lineage-1'))).not.toBe(stateHashOf(owned));
  });
});
