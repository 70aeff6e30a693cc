/** Maps a loaded RecordingPolicy spec to the desired model (defaults filled in). */
import path from 'node:path';
import { hashOf } from '../../core/canonical-json.ts';
import type { JsonValue } from '../../core/plan.ts';
import type { LoadedRecordingPolicy } from '../../spec/types.ts';
import { toScheduleWindow } from '../room/from-spec.ts';
import type { DesiredRecordingPolicy } from './desired.ts';
import { SOURCE_FIELDS } from './fields.ts';

export function desiredRecordingPolicyFromSpec(
  loaded: LoadedRecordingPolicy,
): DesiredRecordingPolicy {
  const spec = loaded.spec;
  const request: { [key: string]: JsonValue } = {};
  for (const field of SOURCE_FIELDS) {
    const value = spec[field];
    if (value !== undefined) request[field] = value;
  }
  if (spec.encoding !== undefined) request['encoding'] = spec.encoding;
  request['outputs'] = spec.outputs;
  const policy: DesiredRecordingPolicy = {
    name: loaded.name,
    rooms: {
      names: spec.rooms.names ?? [],
      match: spec.rooms.match ?? [],
      labels: spec.rooms.labels ?? {},
    },
    when: {
      minParticipants: spec.when?.minParticipants ?? 1,
      minPublishers: spec.when?.minPublishers ?? 0,
    },
    request,
    baseDir: path.dirname(loaded.source.absolute),
    source: { file: loaded.source.file, line: loaded.source.line, col: loaded.source.col },
    specHash: hashOf({ name: loaded.name, labels: loaded.labels, spec }),
  };
  if (spec.when?.schedule !== undefined)
    policy.when.schedule = spec.when.schedule.map(toScheduleWindow);
  return policy;
}
