/**
 * Bounded status: every room any webhook names gets a status entry (and file), so without this
 * a daemon that sees a stream of unique room names grows forever. A room neither declared nor
 * live is kept for the retention period after its last change, its expiry written in its file
 * (`retainedUntil`), and then dropped, memory and file. Swept after every full resync, which has
 * just refreshed `declared` and `live` for every entry.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StatusStore } from '../adapters/status/status-store.ts';

export const DEFAULT_STATUS_RETENTION_MS = 24 * 3_600_000;
/** How long after marking its own `updatedAt` stamp may land. */
const MARK_SLACK_MS = 1_000;

export interface SweepResult {
  /** Rooms whose entry and file were dropped now. */
  dropped: string[];
  /** Rooms now counting down to their drop. */
  retained: number;
}

export function sweepStatus(status: StatusStore, now: Date, retentionMs: number): SweepResult {
  const t = now.getTime();
  const dropped: string[] = [];
  let retained = 0;
  for (const room of status.rooms()) {
    const s = status.peek(room);
    if (!s) continue;
    if (s.declared || s.live) {
      if (s.retainedUntil !== undefined) status.update(room, (x) => delete x.retainedUntil);
      continue;
    }
    const until = s.retainedUntil === undefined ? undefined : Date.parse(s.retainedUntil);
    // Marking stamps `updatedAt` (a moment after `now`); a later stamp means the room changed
    // since (an event, a reconcile result): the retention counts from then.
    const changedSince =
      until === undefined ||
      !(until > 0) ||
      Date.parse(s.updatedAt) > until - retentionMs + MARK_SLACK_MS;
    if (changedSince) {
      const next = new Date(t + retentionMs).toISOString();
      status.update(room, (x) => (x.retainedUntil = next));
      retained++;
    } else if (until <= t) {
      status.remove(room);
      dropped.push(room);
    } else retained++;
  }
  return { dropped, retained };
}

export interface StatusRetention {
  /** After a successful full resync: mark, keep or drop the entries of idle rooms. */
  sweep(): void;
}

export function createStatusRetention(o: {
  status: StatusStore;
  registry: Registry;
  log: Logger;
  now: () => Date;
  retentionMs: number;
}): StatusRetention {
  const registers = [o.registry];
  new Gauge({
    name: 'livekit_gitops_status_rooms',
    help: 'Room status entries the daemon keeps (declared, live, or within the retention).',
    registers,
    collect() {
      this.set(o.status.rooms().length);
    },
  });
  const dropped = new Counter({
    name: 'livekit_gitops_status_dropped_total',
    help: 'Room status entries (and files) dropped after the retention: neither declared nor live.',
    registers,
  });
  return {
    sweep() {
      const r = sweepStatus(o.status, o.now(), o.retentionMs);
      if (r.dropped.length === 0) return;
      dropped.inc(r.dropped.length);
      o.log.info(
        { dropped: r.dropped.length, retained: r.retained },
        'status of rooms neither declared nor live dropped after the retention',
      );
    },
  };
}
