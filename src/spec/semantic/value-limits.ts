import type { Diagnostic } from '../../core/diagnostics.ts';
import { ROOM_METADATA_MAX } from '../../kinds/room/limits.ts';
import { STORAGE_FIELDS } from '../../kinds/recording-policy/fields.ts';
import { at, ofKind, type SemanticContext } from './context.ts';

/** Byte length of a string as UTF-8, without node:buffer. */
function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Limits that span fields or need computing: metadata size, playout delays, one storage per output. */
export function valueLimits(ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const room of ofKind(ctx.specs, 'Room')) {
    const md = room.spec.metadata;
    if (md !== undefined) {
      const size = utf8Length(typeof md === 'string' ? md : JSON.stringify(md));
      if (size > ROOM_METADATA_MAX) {
        out.push(
          at(
            room,
            ['spec', 'metadata'],
            'E_SCHEMA_RANGE',
            `spec.metadata is ${size} bytes; LiveKit allows ${ROOM_METADATA_MAX}`,
          ),
        );
      }
    }
    const { minPlayoutDelay: min, maxPlayoutDelay: max } = room.spec;
    if (min !== undefined && max !== undefined && min > max) {
      out.push(
        at(
          room,
          ['spec', 'minPlayoutDelay'],
          'E_SCHEMA_RANGE',
          `spec.minPlayoutDelay (${min}) is greater than spec.maxPlayoutDelay (${max})`,
        ),
      );
    }
  }
  for (const policy of ofKind(ctx.specs, 'RecordingPolicy')) {
    policy.spec.outputs.forEach((output, i) => {
      for (const [kind, body] of Object.entries(output)) {
        const stores = STORAGE_FIELDS.filter((s) => body !== undefined && s in body);
        if (stores.length > 1) {
          out.push(
            at(
              policy,
              ['spec', 'outputs', i, kind],
              'E_SCHEMA_ONE_OF',
              `spec.outputs[${i}].${kind} has ${stores.join(' and ')}; an output uploads to one storage`,
            ),
          );
        }
      }
    });
  }
  return out;
}
