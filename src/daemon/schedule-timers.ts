/**
 * One timer per scheduled room, set for its next window edge (open or close), so a room appears
 * at its window's start without waiting for the interval resync. Re-armed after each edge and
 * whenever the specs change. The clock is injected (tests shift it to bring an edge close).
 */
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { nextEdges } from '../kinds/room/schedule.ts';

export interface ScheduleTimers {
  /** Arms timers for the rooms' next edges; drops timers of rooms that are gone. */
  sync(rooms: readonly DesiredRoom[]): void;
  /** The next edge per room (for status and tests). */
  next(): Map<string, Date>;
  close(): void;
}

/** setTimeout's ceiling (~24.8 days); longer waits re-arm at the ceiling. */
const MAX_DELAY = 2 ** 31 - 1;
/** Fire just after the edge, so evaluating the schedule at the firing instant sees the change. */
const AFTER_EDGE_MS = 20;

export function createScheduleTimers(opts: {
  now: () => Date;
  onEdge: (room: string) => void;
}): ScheduleTimers {
  const timers = new Map<string, { at: number; timer: NodeJS.Timeout; room: DesiredRoom }>();

  function arm(room: DesiredRoom): void {
    const existing = timers.get(room.name);
    const now = opts.now();
    const edges = nextEdges(room.schedule, now);
    const candidates = [edges.opensAt, edges.closesAt].filter((d): d is Date => d !== undefined);
    if (candidates.length === 0) {
      if (existing) clearTimeout(existing.timer);
      timers.delete(room.name);
      return;
    }
    const at = Math.min(...candidates.map((d) => d.getTime()));
    if (existing && existing.at === at && existing.room.specHash === room.specHash) return;
    if (existing) clearTimeout(existing.timer);
    const wait = at - now.getTime() + AFTER_EDGE_MS;
    const timer = setTimeout(
      () => {
        const entry = timers.get(room.name);
        if (!entry) return;
        if (wait <= MAX_DELAY) opts.onEdge(room.name);
        timers.delete(room.name);
        arm(entry.room);
      },
      Math.max(0, Math.min(wait, MAX_DELAY)),
    );
    timer.unref();
    timers.set(room.name, { at, timer, room });
  }

  return {
    sync(rooms) {
      const names = new Set<string>();
      for (const room of rooms) {
        if (!room.schedule || room.schedule.length === 0) continue;
        names.add(room.name);
        arm(room);
      }
      for (const [name, t] of timers) {
        if (names.has(name)) continue;
        clearTimeout(t.timer);
        timers.delete(name);
      }
    },
    next: () => new Map([...timers].map(([name, t]) => [name, new Date(t.at)])),
    close() {
      for (const t of timers.values()) clearTimeout(t.timer);
      timers.clear();
    },
  };
}
