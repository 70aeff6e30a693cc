import { describe, expect, it } from 'vitest';
import type { ChangeOutcome } from '../../../src/app/apply-run.ts';
import type { LiveEgress } from '../../../src/core/live.ts';
import type { Plan, ResourceChange } from '../../../src/core/plan.ts';
import { reconcileEvents } from '../../../src/daemon/notify-events.ts';

const change = (name: string, action: ResourceChange['action']) =>
  ({
    address: `room.${name}`,
    kind: 'Room',
    name,
    action,
    payload: {},
  }) as unknown as ResourceChange;
const plan = (held: Plan['held'] = []) => ({ changes: [], held }) as unknown as Plan;

describe('reconcileEvents', () => {
  it('maps outcomes, holds, refusals and ended recordings to events', () => {
    const outcomes = [
      { ok: true, change: change('a', 'create'), effect: {} },
      { ok: false, change: change('b', 'update'), error: new Error('boom') },
    ] as unknown as ChangeOutcome[];
    const events = reconcileEvents({
      plan: plan([
        { address: 'room.c', kind: 'Room', name: 'c', action: 'delete', reason: 'occupied' },
      ]),
      outcomes,
      refused: 'would delete 12 objects (maxDeletes 10)',
      recordingEvents: [
        {
          address: 'x',
          policy: 'p',
          room: 'r',
          kind: 'completed',
          egressId: 'EG_1',
          message: 'egress ended',
        },
        { address: 'x', policy: 'p', room: 'r', kind: 'adopted', message: 'adopted' },
      ],
      endedEgress: [
        {
          egressId: 'EG_1',
          roomName: 'r',
          status: 'complete',
          error: '',
          fileResults: [
            { filename: 'a.mp4', location: 's3://rec/a.mp4', size: 10, durationMs: 20 },
          ],
        } as unknown as LiveEgress,
      ],
    });
    expect(events).toEqual([
      { type: 'drift', room: 'a', actions: ['create room.a'], corrected: true },
      { type: 'drift', room: 'b', actions: ['update room.b'], corrected: false },
      { type: 'failed', room: 'b', message: 'update room.b: boom' },
      { type: 'held', reason: 'would delete 12 objects (maxDeletes 10)' },
      { type: 'held', room: 'c', reason: 'occupied' },
      {
        type: 'recordingEnded',
        room: 'r',
        policy: 'p',
        egressId: 'EG_1',
        result: 'completed',
        message: 'egress ended',
        files: [{ location: 's3://rec/a.mp4', size: 10, durationMs: 20 }],
      },
    ]);
  });
});
