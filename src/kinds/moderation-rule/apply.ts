/**
 * Carries out one `moderate` change: the mutes, then the permission update (LiveKit replaces the
 * permission as a whole, so the payload holds all of it), or the removal. A participant who left
 * before the call needs nothing any more: not_found counts as done, with a note.
 */
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { ModeratedSession } from '../../core/inventory.ts';
import type { ResourceChange } from '../../core/plan.ts';
import type { ModerationPayload } from './change.ts';

export interface ModerationEffect {
  /** onJoin bookkeeping to record under the change's address. */
  moderated?: ModeratedSession;
  note?: string;
}

function isGone(err: unknown): boolean {
  return err instanceof LiveKitError && err.kind === 'not_found';
}

export async function executeModerationChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<ModerationEffect> {
  if (change.action !== 'moderate') {
    throw new Error(`a ModerationRule change cannot be "${change.action}"`);
  }
  const payload = change.payload as unknown as ModerationPayload;
  const { room, identity } = payload;
  let note: string | undefined;
  try {
    for (const call of payload.calls) {
      switch (call.op) {
        case 'mutePublishedTrack':
          await port.mutePublishedTrack(room, identity, call.trackSid, true);
          break;
        case 'updateParticipant':
          await port.updateParticipant(room, identity, { permission: call.permission });
          break;
        case 'removeParticipant':
          await port.removeParticipant(room, identity);
          break;
      }
    }
  } catch (err) {
    if (!isGone(err)) throw err;
    note = `participant "${identity}" had already left`;
  }
  const effect: ModerationEffect = note === undefined ? {} : { note };
  if (payload.enforce === 'onJoin') {
    effect.moderated = { room, identity, sid: payload.sid, at: now().toISOString() };
  }
  return effect;
}
