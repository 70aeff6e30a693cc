import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../src/core/inventory.ts';
import { bindKind, type KindPlanner } from '../../../src/core/kind-planner.ts';
import { assemblePlan } from '../../../src/core/plan-assembly.ts';
import type { ChangeAction, ResourceChange } from '../../../src/core/plan.ts';

interface Thing {
  name: string;
  action: ChangeAction;
}

/** A minimal kind whose diff returns the action each desired object names. */
function thingPlanner(kind: string): KindPlanner<Thing, Thing> {
  const change = (thing: Thing): ResourceChange => ({
    address: `${kind}.${thing.name}`,
    kind,
    name: thing.name,
    action: thing.action,
    actionReason: '',
    before: null,
    after: null,
    changedFields: [],
    sensitivePaths: [],
    payload: {},
  });
  return {
    kind,
    desiredKey: (t) => t.name,
    liveKey: (t) => t.name,
    address: (key) => `${kind}.${key}`,
    serverId: () => undefined,
    preventDestroy: () => false,
    diff: (desired) => (desired === undefined ? {} : { change: change(desired) }),
    liveFingerprint: (t) => t.name,
  };
}

describe('core/plan-assembly', () => {
  it('orders by action rank, kinds in order, and deletes in reverse kind order', () => {
    const rooms = [
      { name: 'r1', action: 'delete' },
      { name: 'r2', action: 'create' },
    ] satisfies Thing[];
    const policies = [
      { name: 'p1', action: 'delete' },
      { name: 'p2', action: 'start' },
      { name: 'p3', action: 'create' },
      { name: 'p4', action: 'stop' },
    ] satisfies Thing[];

    const plan = assemblePlan({
      kinds: [
        bindKind(thingPlanner('room'), rooms, []),
        bindKind(thingPlanner('policy'), policies, []),
      ],
      state: emptyState('l'),
      now: new Date('2026-03-30T10:00:00Z'),
      prune: false,
      toolVersion: '0.1.0',
      specHash: 's',
    });

    expect(plan.changes.map((c) => c.address)).toEqual([
      'room.r2',
      'policy.p3',
      'policy.p2',
      'policy.p4',
      'policy.p1',
      'room.r1',
    ]);
  });
});
