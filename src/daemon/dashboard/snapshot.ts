/**
 * What the dashboard shows, as JSON: the head (the daemon's own status with its spec errors and
 * last full resync, the lock holder, the recent events across rooms, the room count) and one view
 * per room (conditions, participants, recordings, last reconcile). Pure functions of the
 * statuses; every string is scrubbed of the secret values before it leaves the daemon. The page
 * renders it as text, never as markup.
 */
import type { LockInfo } from '../../core/errors.ts';
import type { JsonValue } from '../../core/plan.ts';
import { scrubJson } from '../../core/redact.ts';
import type { DaemonStatus } from '../../adapters/status/daemon-status.ts';
import type { RoomStatus, StatusEvent } from '../../adapters/status/room-status.ts';

/** More rooms than this are counted, not listed (declared and live rooms first). */
export const MAX_DASHBOARD_ROOMS = 500;
export const MAX_DASHBOARD_EVENTS = 50;

export interface DashboardInput {
  rooms: readonly RoomStatus[];
  daemon: DaemonStatus;
  /** The daemon leading (the leadership lease's holder); undefined when none leads. */
  leader: LockInfo | undefined;
  /** The state lock's holder (a daemon only while it writes, or a CI apply); undefined when free. */
  lock: LockInfo | undefined;
  now: string;
  toolVersion: string;
  secretValues: readonly string[];
}

export interface DashboardEvent extends StatusEvent {
  room: string;
}

export type DashboardRoom = Omit<RoomStatus, 'apiVersion' | 'kind' | 'events'>;

export interface DashboardHead {
  generatedAt: string;
  toolVersion: string;
  daemon: Omit<DaemonStatus, 'seenEventIds' | 'apiVersion' | 'kind'>;
  leader: Omit<LockInfo, 'id'> | null;
  lock: Omit<LockInfo, 'id'> | null;
  roomCount: number;
  /** Newest first, across all rooms. */
  events: DashboardEvent[];
}

export interface DashboardSnapshot extends DashboardHead {
  rooms: DashboardRoom[];
}

function scrub<T>(value: T, secrets: readonly string[]): T {
  return scrubJson(value as unknown as JsonValue, secrets) as unknown as T;
}

function rank(s: RoomStatus): number {
  return (s.declared ? 0 : 2) + (s.live ? 0 : 1);
}

/** The room's status without its envelope and its events (those are listed across rooms). */
export function dashboardRoom(s: RoomStatus, secrets: readonly string[]): DashboardRoom {
  const room: Partial<RoomStatus> = { ...s };
  delete room.apiVersion;
  delete room.kind;
  delete room.events;
  return scrub(room as DashboardRoom, secrets);
}

export function buildDashboardHead(i: DashboardInput): DashboardHead {
  const d = i.daemon;
  // Webhook times have whole seconds: within a second, a room's later event comes first.
  const events: DashboardEvent[] = i.rooms
    .flatMap((s) => s.events.map((e, at) => ({ e: { ...e, room: s.room }, at })))
    .sort((a, b) => b.e.time.localeCompare(a.e.time) || b.at - a.at)
    .slice(0, MAX_DASHBOARD_EVENTS)
    .map((x) => x.e);
  const head: DashboardHead = {
    generatedAt: i.now,
    toolVersion: i.toolVersion,
    daemon: {
      pid: d.pid,
      startedAt: d.startedAt,
      active: d.active,
      livekitUp: d.livekitUp,
      specHash: d.specHash,
      specErrors: d.specErrors,
      lastFullResync: d.lastFullResync,
      ...(d.git ? { git: d.git } : {}),
      updatedAt: d.updatedAt,
    },
    // The lock id is what `state unlock ID --force` takes: not for a read-only page.
    leader: holder(i.leader),
    lock: holder(i.lock),
    roomCount: i.rooms.length,
    events,
  };
  return scrub(head, i.secretValues);
}

function holder(l: LockInfo | undefined): Omit<LockInfo, 'id'> | null {
  return l ? { who: l.who, operation: l.operation, created: l.created } : null;
}

export function buildDashboardSnapshot(i: DashboardInput): DashboardSnapshot {
  const shown = [...i.rooms]
    .sort((a, b) => rank(a) - rank(b) || a.room.localeCompare(b.room))
    .slice(0, MAX_DASHBOARD_ROOMS);
  return {
    ...buildDashboardHead(i),
    rooms: shown.map((s) => dashboardRoom(s, i.secretValues)),
  };
}
