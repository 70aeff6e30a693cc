/**
 * When a room's recording must be looked at again although nothing may happen on the server: a
 * retry whose backoff ends, or a pending start whose grace runs out. The daemon sets a timer for
 * each (webhooks and the interval resync would come too late or never). Pure.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type { RecordingOptions } from './options.ts';
import { isRecordingAddress } from './settle.ts';

/** Room name → the earliest instant (Unix ms, after `now`) its recordings need a reconcile. */
export function recordingWakeTimes(
  state: StateDocument,
  now: Date,
  options: Pick<RecordingOptions, 'pendingGraceMs' | 'maxRetries'>,
  scope?: ReadonlySet<string>,
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (room: string, at: number): void => {
    if (!Number.isFinite(at) || at <= now.getTime()) return;
    if (scope && !scope.has(room)) return;
    const prev = out.get(room);
    if (prev === undefined || at < prev) out.set(room, at);
  };
  for (const rec of Object.values(state.recordings ?? {})) {
    if (rec.retryAt !== undefined && rec.failures <= options.maxRetries) {
      add(rec.room, Date.parse(rec.retryAt));
    }
  }
  for (const [address, op] of Object.entries(state.pending)) {
    if (!isRecordingAddress(address) || op.operation !== 'start') continue;
    add(op.match['room'] ?? '', Date.parse(op.startedAt) + options.pendingGraceMs);
  }
  return out;
}
