/** The notification a recording's end makes (from the egress_ended webhook or a reconcile). */
import type { NotifyEvent } from '../../adapters/notify/events.ts';
import type { LiveEgress } from '../../core/live.ts';

/** Egress end states that are a failure (as recording settling counts them). */
const FAILED = new Set(['failed', 'aborted', 'limit_reached']);

/**
 * `recordingEnded` for an egress of `policy` that has ended (from the egress_ended webhook or a
 * reconcile's observation), with its file results; undefined while it has not ended.
 */
export function recordingEndedEvent(e: LiveEgress, policy: string): NotifyEvent | undefined {
  const failed = FAILED.has(e.status);
  if (!failed && e.status !== 'complete') return undefined;
  const files = e.fileResults.map((f) => ({
    location: f.location,
    size: f.size,
    durationMs: f.durationMs,
  }));
  return {
    type: 'recordingEnded',
    room: e.roomName,
    policy,
    egressId: e.egressId,
    result: failed ? 'failed' : 'completed',
    message: failed ? `egress ${e.status}${e.error ? `: ${e.error}` : ''}` : 'egress ended',
    ...(files.length > 0 ? { files } : {}),
  };
}
