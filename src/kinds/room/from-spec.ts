/**
 * Maps a loaded Room spec to the desired model the pure diff compares: durations in milliseconds,
 * object metadata as compact JSON, lifecycle defaults filled in.
 */
import { hashOf } from '../../core/canonical-json.ts';
import { parseDuration } from '../../spec/duration.ts';
import type { LoadedRoom } from '../../spec/types.ts';
import type { DesiredRoom, ScheduleWindow } from './desired.ts';

export function desiredRoomFromSpec(loaded: LoadedRoom): DesiredRoom {
  const spec = loaded.spec;
  const room: DesiredRoom = {
    name: loaded.name,
    labels: loaded.labels,
    lifecycle: {
      preventDestroy: spec.lifecycle?.preventDestroy ?? false,
      onOccupied: spec.lifecycle?.onOccupied ?? 'wait',
    },
    source: { file: loaded.source.file, line: loaded.source.line, col: loaded.source.col },
    specHash: hashOf({ name: loaded.name, labels: loaded.labels, spec }),
  };
  if (spec.emptyTimeout !== undefined) room.emptyTimeout = spec.emptyTimeout;
  if (spec.departureTimeout !== undefined) room.departureTimeout = spec.departureTimeout;
  if (spec.maxParticipants !== undefined) room.maxParticipants = spec.maxParticipants;
  if (spec.metadata !== undefined) {
    room.metadata =
      typeof spec.metadata === 'string' ? spec.metadata : JSON.stringify(spec.metadata);
  }
  if (spec.agents !== undefined) room.agents = spec.agents;
  if (spec.minPlayoutDelay !== undefined) room.minPlayoutDelay = spec.minPlayoutDelay;
  if (spec.maxPlayoutDelay !== undefined) room.maxPlayoutDelay = spec.maxPlayoutDelay;
  if (spec.syncStreams !== undefined) room.syncStreams = spec.syncStreams;
  if (spec.schedule !== undefined) room.schedule = spec.schedule.map(toScheduleWindow);
  return room;
}

/** A spec's schedule window as the diff reads it (the policies' `when.schedule` too). */
export function toScheduleWindow(w: {
  start: string;
  duration: string;
  timezone?: string;
}): ScheduleWindow {
  // The validator already rejected durations that do not parse.
  const window: ScheduleWindow = { start: w.start, durationMs: parseDuration(w.duration) ?? 0 };
  if (w.timezone !== undefined) window.timezone = w.timezone;
  return window;
}
