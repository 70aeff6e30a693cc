/**
 * Moderation's part of the status files: every action a rule took (time, rule, participant,
 * effect, result) lands in its room's events.
 */
import { appendEvent } from '../../adapters/status/room-status.ts';
import { scrubText } from '../../core/redact.ts';
import type { KindStatusFolds } from '../kind.ts';
import { moderationEventOf } from './events.ts';
import { MODERATION_KIND } from './planner.ts';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function moderationStatusFolds(): KindStatusFolds {
  return {
    foldReconcile({ status, outcomes, now, secretValues }) {
      const at = now.toISOString();
      for (const o of outcomes) {
        if (o.change.kind !== MODERATION_KIND) continue;
        const note =
          o.ok && 'note' in o.effect && typeof o.effect.note === 'string'
            ? o.effect.note
            : undefined;
        const ev = moderationEventOf(
          o.change,
          o.ok
            ? { ok: true, note }
            : { ok: false, message: scrubText(errorMessage(o.error), secretValues) },
          now,
        );
        if (ev === undefined) continue;
        status.update(ev.room, (s) =>
          appendEvent(
            s,
            {
              id: o.change.address,
              event: 'moderation',
              time: ev.time,
              participant: ev.participant,
              rule: ev.rule,
              effect: ev.effect,
              result: ev.result,
              ...(ev.message === undefined ? {} : { message: ev.message }),
            },
            at,
          ),
        );
      }
    },
  };
}
