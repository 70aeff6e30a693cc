/**
 * The desired model of a Room: what the pure diff compares against LiveKit. The CLI maps loaded
 * specs to it (durations to milliseconds, object metadata to compact JSON, defaults filled in),
 * so the diff never sees YAML, positions aside.
 */
import type { SourceLocation } from '../../core/plan.ts';

export interface AgentDispatch {
  agentName: string;
  metadata?: string;
}

/** One schedule window: the room should exist from each cron start for `durationMs`. */
export interface ScheduleWindow {
  /** 5-field cron expression (minute hour day-of-month month day-of-week). */
  start: string;
  durationMs: number;
  /** IANA zone the cron expression is read in; UTC when absent. */
  timezone?: string;
}

export type OnOccupied = 'wait' | 'force';

export interface RoomLifecycle {
  /** Never deleted (or replaced) by apply or prune; remembered in state after the spec is removed. */
  preventDestroy: boolean;
  /** What an immutable change or a closing window does to a room with participants. */
  onOccupied: OnOccupied;
}

export interface DesiredRoom {
  /** The LiveKit room name (metadata.name of the spec). */
  name: string;
  labels: Record<string, string>;
  /** Seconds. Absent (or 0) means the server default, and never diffs. */
  emptyTimeout?: number;
  departureTimeout?: number;
  maxParticipants?: number;
  /** Already a string: object metadata is compacted to JSON by the mapper. */
  metadata?: string;
  agents?: AgentDispatch[];
  /** Milliseconds. */
  minPlayoutDelay?: number;
  maxPlayoutDelay?: number;
  syncStreams?: boolean;
  /** Absent or empty: the room should always exist. */
  schedule?: ScheduleWindow[];
  lifecycle: RoomLifecycle;
  source: SourceLocation;
  /** Hash of the spec document; recorded in state as the object's specHash. */
  specHash: string;
}

/** The plan address of a room. */
export function roomAddress(name: string): string {
  return `room.${name}`;
}
