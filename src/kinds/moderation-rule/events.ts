/**
 * A moderation action as a room status event (time, rule, participant, effect, result), for the
 * status writer to append to the room's status file when apply or the daemon has executed it.
 * Pure.
 */
import type { ResourceChange } from '../../core/plan.ts';
import type { ModerationPayload } from './change.ts';

export interface ModerationEvent {
  /** ISO time the action finished. */
  time: string;
  type: 'moderation';
  room: string;
  /** `<ModerationRule name>.rules[i]` or `<name>.limits`. */
  rule: string;
  participant: string;
  /** What was done, e.g. `remove`, `mute microphone`, `permissions canPublish=false`. */
  effect: string;
  result: 'ok' | 'failed';
  /** The error message (already free of credentials) or a note such as "had already left". */
  message?: string;
}

function describeCalls(payload: ModerationPayload, change: ResourceChange): string {
  const parts: string[] = [];
  for (const call of payload.calls) {
    if (call.op === 'removeParticipant') parts.push('remove');
    if (call.op === 'mutePublishedTrack') parts.push(`mute ${call.source}`);
  }
  const fields = change.changedFields.filter((f) => f !== 'muted' && f !== 'remove');
  if (fields.length > 0) {
    const after = change.after ?? {};
    parts.push(
      'permissions ' + fields.map((f) => `${f}=${JSON.stringify(after[f] ?? null)}`).join(' '),
    );
  }
  return parts.join(', ');
}

/** The status event of a finished moderation change; undefined for changes of other kinds. */
export function moderationEventOf(
  change: ResourceChange,
  outcome: { ok: true; note?: string | undefined } | { ok: false; message: string },
  at: Date,
): ModerationEvent | undefined {
  if (change.action !== 'moderate') return undefined;
  const payload = change.payload as unknown as ModerationPayload;
  const message = outcome.ok ? outcome.note : outcome.message;
  return {
    time: at.toISOString(),
    type: 'moderation',
    room: payload.room,
    rule: `${payload.rule}.${payload.cause}`,
    participant: payload.identity,
    effect: describeCalls(payload, change),
    result: outcome.ok ? 'ok' : 'failed',
    ...(message === undefined ? {} : { message }),
  };
}
