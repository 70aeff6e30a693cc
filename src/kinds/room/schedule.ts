/**
 * Schedule windows: whether a scheduled room should exist at an instant, and when that next
 * changes. Pure: `now` is always a parameter (croner is only used to enumerate cron instants;
 * no job is started).
 *
 * Semantics (documented in docs/ownership.md):
 * - a window opens at each cron start and stays open for `durationMs` of real time, so a 2 h window
 *   across a DST change lasts 2 h, not "until the wall clock says +2 h";
 * - the cron expression is read in `timezone` (UTC when absent, so CI runners in any zone agree);
 * - a start inside a skipped DST hour fires once right after the jump, and a start inside a repeated
 *   hour fires once, at its first occurrence (croner's rules);
 * - windows of one room are a union: overlapping or touching windows make one long open period.
 */
import { Cron } from 'croner';
import type { ScheduleWindow } from './desired.ts';

export interface OpenWindow {
  /** Index of the window in the room's schedule list. */
  index: number;
  start: Date;
  end: Date;
}

export interface WindowState {
  open: boolean;
  /** The open window that started last, when open. */
  window?: OpenWindow;
  /** When closed: the next instant a window opens (absent if no cron instant follows). */
  opensAt?: Date;
  /** When open: the instant no window covers any more (absent if it does not close within the search bound). */
  closesAt?: Date;
}

export interface ScheduleEdges {
  opensAt?: Date;
  closesAt?: Date;
}

/** Union chains longer than this (e.g. `* * * * *` for 1 minute) are treated as never closing. */
const MAX_CHAIN = 1_000;

const cronCache = new Map<string, Cron>();

function cronFor(window: ScheduleWindow): Cron {
  const timezone = window.timezone ?? 'UTC';
  const key = `${timezone}\u0000${window.start}`;
  let cron = cronCache.get(key);
  if (cron === undefined) {
    cron = new Cron(window.start, { timezone, mode: '5-part' });
    cronCache.set(key, cron);
  }
  return cron;
}

/**
 * Memo of latest starts: a plan evaluates thousands of rooms that share a few schedules at one
 * instant, and croner's backwards search costs ~0.15 ms a call. Bounded, cleared when full.
 */
const latestCache = new Map<string, Date | undefined>();
const LATEST_CACHE_MAX = 10_000;

/** The latest cron start at or before `at` (croner's previousRuns is strictly before, to the second). */
function latestStartAtOrBefore(window: ScheduleWindow, at: Date): Date | undefined {
  const second = Math.floor(at.getTime() / 1000);
  const key = `${window.timezone ?? 'UTC'}\u0000${window.start}\u0000${second}`;
  if (latestCache.has(key)) {
    // A copy: callers receive Dates they may keep or change.
    const cached = latestCache.get(key);
    return cached === undefined ? undefined : new Date(cached.getTime());
  }
  const start = cronFor(window).previousRuns(1, new Date((second + 1) * 1000))[0];
  if (latestCache.size >= LATEST_CACHE_MAX) latestCache.clear();
  latestCache.set(key, start);
  return start === undefined ? undefined : new Date(start.getTime());
}

function nextStartAfter(window: ScheduleWindow, at: Date): Date | undefined {
  return cronFor(window).nextRun(at) ?? undefined;
}

/** The window of this entry covering `at`, if any. */
function covering(window: ScheduleWindow, index: number, at: Date): OpenWindow | undefined {
  const start = latestStartAtOrBefore(window, at);
  if (start === undefined) return undefined;
  const end = new Date(start.getTime() + window.durationMs);
  return at.getTime() < end.getTime() ? { index, start, end } : undefined;
}

/** Extends `from` while some window covers it; the first uncovered instant, or undefined. */
function coverEnd(schedule: readonly ScheduleWindow[], from: Date): Date | undefined {
  let at = from;
  for (let step = 0; step < MAX_CHAIN; step += 1) {
    let extended = false;
    schedule.forEach((window, index) => {
      const open = covering(window, index, at);
      if (open !== undefined) {
        at = open.end;
        extended = true;
      }
    });
    if (!extended) return at;
  }
  return undefined;
}

function earliestStartAfter(schedule: readonly ScheduleWindow[], at: Date): Date | undefined {
  let earliest: Date | undefined;
  for (const window of schedule) {
    const next = nextStartAfter(window, at);
    if (next !== undefined && (earliest === undefined || next < earliest)) earliest = next;
  }
  return earliest;
}

/** Just the yes/no of isWindowOpen, without searching for edges (what the plan needs). */
export function isOpenAt(schedule: readonly ScheduleWindow[] | undefined, now: Date): boolean {
  if (schedule === undefined || schedule.length === 0) return true;
  return schedule.some((window, index) => covering(window, index, now) !== undefined);
}

/** Whether any window is open at `now`. No schedule (or an empty one) means always open. */
export function isWindowOpen(
  schedule: readonly ScheduleWindow[] | undefined,
  now: Date,
): WindowState {
  if (schedule === undefined || schedule.length === 0) return { open: true };
  let best: OpenWindow | undefined;
  schedule.forEach((window, index) => {
    const open = covering(window, index, now);
    if (open !== undefined && (best === undefined || open.start > best.start)) best = open;
  });
  if (best === undefined) {
    const opensAt = earliestStartAfter(schedule, now);
    return opensAt === undefined ? { open: false } : { open: false, opensAt };
  }
  const closesAt = coverEnd(schedule, now);
  return closesAt === undefined
    ? { open: true, window: best }
    : { open: true, window: best, closesAt };
}

/** The next open and close instants after `now`, for the daemon to wake on. */
export function nextEdges(
  schedule: readonly ScheduleWindow[] | undefined,
  now: Date,
): ScheduleEdges {
  if (schedule === undefined || schedule.length === 0) return {};
  const state = isWindowOpen(schedule, now);
  if (state.open) {
    if (state.closesAt === undefined) return {};
    const opensAt = earliestStartAfter(schedule, state.closesAt);
    return opensAt === undefined
      ? { closesAt: state.closesAt }
      : { closesAt: state.closesAt, opensAt };
  }
  if (state.opensAt === undefined) return {};
  const closesAt = coverEnd(schedule, state.opensAt);
  return closesAt === undefined ? { opensAt: state.opensAt } : { opensAt: state.opensAt, closesAt };
}

/** A problem with a window (bad cron, unknown zone, non-positive duration), for validation. */
export function checkScheduleWindow(window: ScheduleWindow): string | undefined {
  if (!Number.isFinite(window.durationMs) || window.durationMs <= 0) {
    return 'duration must be positive';
  }
  try {
    // Evaluating once surfaces an unknown time zone, which the constructor alone accepts.
    cronFor(window).nextRun(new Date(0));
    return undefined;
  } catch (error) {
    cronCache.delete(`${window.timezone ?? 'UTC'}\u0000${window.start}`);
    return error instanceof Error ? error.message : String(error);
  }
}
