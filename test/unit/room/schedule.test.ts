import { describe, expect, it } from 'vitest';
import type { ScheduleWindow } from '../../../src/kinds/room/desired.ts';
import {
  checkScheduleWindow,
  isOpenAt,
  isWindowOpen,
  nextEdges,
} from '../../../src/kinds/room/schedule.ts';

const H = 3_600_000;
const weekdays9to17: ScheduleWindow[] = [{ start: '0 9 * * 1-5', durationMs: 8 * H }];

interface Row {
  name: string;
  schedule: ScheduleWindow[];
  at: string;
  open: boolean;
  start?: string;
  opensAt?: string;
  closesAt?: string;
}

const rows: Row[] = [
  {
    name: 'UTC, inside a weekday window',
    schedule: weekdays9to17,
    at: '2026-03-30T10:00:00Z',
    open: true,
    start: '2026-03-30T09:00:00.000Z',
    closesAt: '2026-03-30T17:00:00.000Z',
  },
  {
    name: 'UTC, exactly at the start: open',
    schedule: weekdays9to17,
    at: '2026-03-30T09:00:00Z',
    open: true,
    start: '2026-03-30T09:00:00.000Z',
  },
  {
    name: 'UTC, a second before the start: closed',
    schedule: weekdays9to17,
    at: '2026-03-30T08:59:59Z',
    open: false,
    opensAt: '2026-03-30T09:00:00.000Z',
  },
  {
    name: 'UTC, exactly at the end: closed (end is exclusive)',
    schedule: weekdays9to17,
    at: '2026-03-30T17:00:00Z',
    open: false,
    opensAt: '2026-03-31T09:00:00.000Z',
  },
  {
    name: 'UTC, Saturday: closed until Monday',
    schedule: weekdays9to17,
    at: '2026-03-28T10:00:00Z',
    open: false,
    opensAt: '2026-03-30T09:00:00.000Z',
  },
  // US DST starts 2026-03-08 02:00: 09:00 is 14:00Z the day before and 13:00Z that day.
  {
    name: 'New York, 09:00 EST the day before DST',
    schedule: [{ start: '0 9 * * *', durationMs: H, timezone: 'America/New_York' }],
    at: '2026-03-07T14:30:00Z',
    open: true,
    start: '2026-03-07T14:00:00.000Z',
  },
  {
    name: 'New York, 09:00 EDT on the DST day opens an hour earlier in UTC',
    schedule: [{ start: '0 9 * * *', durationMs: H, timezone: 'America/New_York' }],
    at: '2026-03-08T13:30:00Z',
    open: true,
    start: '2026-03-08T13:00:00.000Z',
    closesAt: '2026-03-08T14:00:00.000Z',
  },
  {
    name: 'New York, 14:30Z on the DST day is already closed',
    schedule: [{ start: '0 9 * * *', durationMs: H, timezone: 'America/New_York' }],
    at: '2026-03-08T14:30:00Z',
    open: false,
    opensAt: '2026-03-09T13:00:00.000Z',
  },
  // Berlin skips 02:00-03:00 on 2026-03-29: a 02:30 start fires right after the jump (03:30 CEST).
  {
    name: 'Berlin, start in the skipped hour fires after the jump',
    schedule: [{ start: '30 2 * * *', durationMs: H, timezone: 'Europe/Berlin' }],
    at: '2026-03-29T01:45:00Z',
    open: true,
    start: '2026-03-29T01:30:00.000Z',
    closesAt: '2026-03-29T02:30:00.000Z',
  },
  // Berlin repeats 02:00-03:00 on 2026-10-25: the start fires once (first 02:30, CEST) and lasts 2 real hours.
  {
    name: 'Berlin, repeated hour: one start, duration in real time',
    schedule: [{ start: '30 2 * * *', durationMs: 2 * H, timezone: 'Europe/Berlin' }],
    at: '2026-10-25T02:15:00Z',
    open: true,
    start: '2026-10-25T00:30:00.000Z',
    closesAt: '2026-10-25T02:30:00.000Z',
  },
  {
    name: 'Berlin, repeated hour: closed after 2 real hours',
    schedule: [{ start: '30 2 * * *', durationMs: 2 * H, timezone: 'Europe/Berlin' }],
    at: '2026-10-25T02:30:00Z',
    open: false,
    opensAt: '2026-10-26T01:30:00.000Z',
  },
  {
    name: 'Tokyo, a window across midnight',
    schedule: [{ start: '0 22 * * *', durationMs: 4 * H, timezone: 'Asia/Tokyo' }],
    at: '2026-03-30T15:30:00Z',
    open: true,
    start: '2026-03-30T13:00:00.000Z',
    closesAt: '2026-03-30T17:00:00.000Z',
  },
  {
    name: 'overlapping windows are one open period',
    schedule: [
      { start: '0 9 * * *', durationMs: 2 * H },
      { start: '0 10 * * *', durationMs: 2 * H },
    ],
    at: '2026-03-30T09:30:00Z',
    open: true,
    start: '2026-03-30T09:00:00.000Z',
    closesAt: '2026-03-30T12:00:00.000Z',
  },
  {
    name: 'the later of two open windows is reported',
    schedule: [
      { start: '0 9 * * *', durationMs: 2 * H },
      { start: '0 10 * * *', durationMs: 2 * H },
    ],
    at: '2026-03-30T10:30:00Z',
    open: true,
    start: '2026-03-30T10:00:00.000Z',
    closesAt: '2026-03-30T12:00:00.000Z',
  },
  {
    name: 'touching windows that never end: open, no close instant',
    schedule: [{ start: '0 * * * *', durationMs: H }],
    at: '2026-03-30T10:30:00Z',
    open: true,
    start: '2026-03-30T10:00:00.000Z',
  },
];

describe('kinds/room/schedule', () => {
  it.each(rows)('$name', ({ schedule, at, open, start, opensAt, closesAt }) => {
    const state = isWindowOpen(schedule, new Date(at));

    expect(state.open).toBe(open);
    if (start !== undefined) expect(state.window?.start.toISOString()).toBe(start);
    if (opensAt !== undefined) expect(state.opensAt?.toISOString()).toBe(opensAt);
    if (closesAt !== undefined) expect(state.closesAt?.toISOString()).toBe(closesAt);
    if (open) expect(state.opensAt).toBeUndefined();
    else expect(state.closesAt).toBeUndefined();
    expect(isOpenAt(schedule, new Date(at))).toBe(open);
  });

  it('treats no schedule and an empty schedule as always open', () => {
    const at = new Date('2026-03-30T10:00:00Z');

    expect(isWindowOpen(undefined, at)).toEqual({ open: true });
    expect(isWindowOpen([], at)).toEqual({ open: true });
    expect(nextEdges(undefined, at)).toEqual({});
  });

  it('gives the next close then open while open', () => {
    const edges = nextEdges(weekdays9to17, new Date('2026-04-03T10:00:00Z')); // a Friday

    expect(edges.closesAt?.toISOString()).toBe('2026-04-03T17:00:00.000Z');
    expect(edges.opensAt?.toISOString()).toBe('2026-04-06T09:00:00.000Z');
  });

  it('gives the next open then close while closed', () => {
    const edges = nextEdges(weekdays9to17, new Date('2026-03-30T18:00:00Z'));

    expect(edges.opensAt?.toISOString()).toBe('2026-03-31T09:00:00.000Z');
    expect(edges.closesAt?.toISOString()).toBe('2026-03-31T17:00:00.000Z');
  });

  it('gives no close edge for a window chain that never closes', () => {
    expect(
      nextEdges([{ start: '0 * * * *', durationMs: H }], new Date('2026-03-30T10:30:00Z')),
    ).toEqual({});
  });

  it.each([
    [{ start: '0 9 * * 1-5', durationMs: H, timezone: 'Europe/Berlin' }, undefined],
    [{ start: '0 9 * *', durationMs: H }, /five, six, or seven/],
    [{ start: '0 0 9 * * 1-5', durationMs: H }, /./],
    [{ start: '0 9 * * *', durationMs: H, timezone: 'Mars/Olympus' }, /timezone/i],
    [{ start: '0 9 * * *', durationMs: 0 }, /duration must be positive/],
  ])('checkScheduleWindow(%j)', (window, problem) => {
    const result = checkScheduleWindow(window);

    if (problem === undefined) expect(result).toBeUndefined();
    else expect(result).toMatch(problem);
  });
});
