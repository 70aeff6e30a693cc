/**
 * The desired model of a RecordingPolicy: which rooms it selects, when it records, and the egress
 * request it makes (secrets still as references: they are resolved only by the executor).
 */
import type { JsonValue, SourceLocation } from '../../core/plan.ts';
import type { ScheduleWindow } from '../room/desired.ts';

export interface RoomSelectorModel {
  names: string[];
  match: string[];
  labels: Record<string, string>;
}

export interface RecordingWhen {
  /** Default 1: an empty room is never recorded. */
  minParticipants: number;
  minPublishers: number;
  schedule?: ScheduleWindow[];
}

export interface DesiredRecordingPolicy {
  name: string;
  rooms: RoomSelectorModel;
  when: RecordingWhen;
  /**
   * The egress request without a room: `source`, `encoding`, `outputs` as in the spec. Secret
   * references stay references (`{fromEnv}` / `{fromFile}`); the executor resolves them.
   */
  request: { [key: string]: JsonValue };
  /** Directory `fromFile` references resolve against (the spec file's directory). */
  baseDir: string;
  source?: SourceLocation;
  specHash: string;
}

/** `recording.<policy>.<room>`: one address per policy and room, at most one egress each. */
export function recordingAddress(policy: string, room: string): string {
  return `recording.${policy}.${room}`;
}

export const RECORDING_KIND = 'RecordingPolicy';
