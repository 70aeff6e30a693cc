/** The notification events one reconcile produced: drift corrected (or not), failures, holds, ended recordings. */
import type { NotifyEvent } from '../adapters/notify/events.ts';
import type { ChangeOutcome } from '../app/apply-run.ts';
import type { LiveEgress } from '../core/live.ts';
import type { Plan } from '../core/plan.ts';
import { recordingEndedEvent } from '../kinds/recording-policy/notices.ts';
import type { RecordingEvent } from '../kinds/recording-policy/settle.ts';
import { roomOfChange } from './fold-reconcile.ts';

const ENDED = new Set(['completed', 'failed', 'lost']);
export function reconcileEvents(r: {
  plan: Plan;
  outcomes: readonly ChangeOutcome[];
  refused: string | undefined;
  recordingEvents: readonly RecordingEvent[];
  /** The ended egresses the reconcile observed: an ended recording's file results. */
  endedEgress?: readonly LiveEgress[] | undefined;
}): NotifyEvent[] {
  const out: NotifyEvent[] = [];
  const byRoom = new Map<string, ChangeOutcome[]>();
  for (const o of r.outcomes) {
    const room = roomOfChange(o.change);
    byRoom.set(room, [...(byRoom.get(room) ?? []), o]);
  }
  for (const [room, outcomes] of byRoom) {
    const actions = outcomes.map((o) => `${o.change.action} ${o.change.address}`);
    out.push({ type: 'drift', room, actions, corrected: outcomes.every((o) => o.ok) });
    for (const o of outcomes) {
      if (!o.ok) {
        const e = o.error instanceof Error ? o.error.message : String(o.error);
        out.push({ type: 'failed', room, message: `${o.change.action} ${o.change.address}: ${e}` });
      }
    }
  }
  if (r.refused !== undefined) out.push({ type: 'held', reason: r.refused });
  for (const h of r.plan.held) {
    out.push({ type: 'held', ...(h.kind === 'Room' ? { room: h.name } : {}), reason: h.reason });
  }
  const ended = new Map((r.endedEgress ?? []).map((e) => [e.egressId, e]));
  for (const e of r.recordingEvents) {
    if (!ENDED.has(e.kind)) continue;
    const seen = e.egressId !== undefined ? ended.get(e.egressId) : undefined;
    const same = seen && e.kind !== 'lost' ? recordingEndedEvent(seen, e.policy) : undefined;
    if (same) {
      // The very event the egress_ended webhook sent, so the sinks' de-duplication folds the two.
      out.push(same);
      continue;
    }
    const files = seen?.fileResults ?? [];
    out.push({
      type: 'recordingEnded',
      room: e.room,
      policy: e.policy,
      ...(e.egressId !== undefined ? { egressId: e.egressId } : {}),
      result: e.kind,
      message: e.message,
      ...(files.length > 0
        ? {
            files: files.map((f) => ({
              location: f.location,
              size: f.size,
              durationMs: f.durationMs,
            })),
          }
        : {}),
    });
  }
  return out;
}
