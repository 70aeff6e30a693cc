import { describe, expect, it } from 'vitest';
import {
  emptyRoomStatus,
  foldEvent,
  roomFromFileName,
  setCondition,
  statusFileName,
  MAX_EVENTS,
  type FoldableEvent,
} from '../../../src/adapters/status/room-status.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';

function ev(event: string, identity?: string, extra: Partial<FoldableEvent> = {}): FoldableEvent {
  return {
    id: `EV_${event}_${identity ?? ''}_${Math.random()}`,
    event,
    createdAtMs: Date.parse(T0),
    room: { name: 'r', sid: 'RM_1' },
    ...(identity
      ? {
          participant: {
            identity,
            name: identity.toUpperCase(),
            kind: 'standard',
            joinedAtMs: Date.parse(T0),
            isPublisher: false,
          },
        }
      : {}),
    ...extra,
  };
}

describe('room status folding', () => {
  it('tracks participants and publishers through joins, publishes and leaves', () => {
    const s = emptyRoomStatus('r', T0);
    foldEvent(s, ev('room_started'), T0);
    foldEvent(s, ev('participant_joined', 'alice'), T0);
    foldEvent(s, ev('participant_joined', 'bob'), T0);
    // Track events carry a thinner participant: the name and join time stay.
    foldEvent(
      s,
      ev('track_published', 'alice', {
        participant: {
          identity: 'alice',
          name: '',
          kind: 'standard',
          joinedAtMs: 0,
          isPublisher: true,
        },
      }),
      T1,
    );
    expect(s.participants).toEqual([
      { identity: 'alice', name: 'ALICE', kind: 'standard', joinedAt: T0, publisher: true },
      { identity: 'bob', name: 'BOB', kind: 'standard', joinedAt: T0, publisher: false },
    ]);
    expect(s.publishers).toBe(1);
    foldEvent(s, ev('participant_left', 'alice'), T1);
    expect(s.participants.map((p) => p.identity)).toEqual(['bob']);
    expect(s.publishers).toBe(0);
    foldEvent(s, ev('room_finished'), T1);
    expect(s).toMatchObject({ live: false, sid: null, participants: [] });
    expect(s.events.map((e) => e.event)).toEqual([
      'room_started',
      'participant_joined',
      'participant_joined',
      'track_published',
      'participant_left',
      'room_finished',
    ]);
  });

  it('a room the server finished is not Ready until a reconcile says so', () => {
    const s = emptyRoomStatus('r', T0);
    setCondition(
      s,
      { type: 'Ready', status: 'True', reason: 'Live', message: 'm', observedGeneration: 'g1' },
      T0,
    );
    foldEvent(s, ev('room_finished'), T1);
    expect(s.conditions).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'NotLive',
        message: 'the room finished on the server',
        observedGeneration: 'g1',
        lastTransitionTime: T1,
      },
    ]);
  });

  it('keeps only the last events', () => {
    const s = emptyRoomStatus('r', T0);
    for (let i = 0; i < MAX_EVENTS + 5; i++)
      foldEvent(s, { ...ev('room_started'), id: `EV_${i}` }, T0);
    expect(s.events).toHaveLength(MAX_EVENTS);
    expect(s.events[0]?.id).toBe('EV_5');
  });

  it('moves lastTransitionTime only when the status flips', () => {
    const s = emptyRoomStatus('r', T0);
    const base = { type: 'Ready' as const, reason: 'Live', message: 'm', observedGeneration: 'g1' };
    setCondition(s, { ...base, status: 'True' }, T0);
    setCondition(s, { ...base, status: 'True', observedGeneration: 'g2', message: 'other' }, T1);
    expect(s.conditions[0]).toMatchObject({
      lastTransitionTime: T0,
      observedGeneration: 'g2',
      message: 'other',
    });
    setCondition(s, { ...base, status: 'False', reason: 'NotLive' }, T1);
    expect(s.conditions[0]?.lastTransitionTime).toBe(T1);
  });

  it('names files safely and reversibly, never colliding with _daemon.yaml', () => {
    for (const name of ['all-hands', 'a.b_c', '_daemon', '.hidden', 'a/b', 'ü 名', '%41']) {
      const file = statusFileName(name);
      expect(file).toMatch(/^[A-Za-z0-9%-][A-Za-z0-9._%-]*\.yaml$/);
      expect(file).not.toBe('_daemon.yaml');
      expect(roomFromFileName(file)).toBe(name);
    }
    expect(statusFileName('all-hands')).toBe('all-hands.yaml');
    expect(roomFromFileName('_daemon.yaml')).toBeUndefined();
  });
});
