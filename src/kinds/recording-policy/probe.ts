/**
 * Lost-egress detection. When an egress worker dies, LiveKit keeps its egress ACTIVE forever and
 * says nothing. The probe is an UpdateStream with empty add/remove lists: the server routes it to
 * the egress's worker, a live worker answers at once (with the egress, or an error for a
 * non-stream egress), and for a dead one the server answers 503 "no response from servers" after
 * ~3 s (see probeAnswerOf).
 * It changes nothing, unlike StopEgress, so it is safe on a healthy egress.
 *
 * Off the hot path: only egresses older than `probeMinAgeMs`, each at most every
 * `probeIntervalMs` (remembered per port, so a long-running daemon throttles across reconciles),
 * all probes of one reconcile concurrently.
 */
import { LiveKitError } from '../../core/errors.ts';
import type { LiveEgress } from '../../core/live.ts';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { RecordingOptions } from './options.ts';

const lastProbe = new WeakMap<LiveKitPort, Map<string, number>>();

/** What one probe says: the worker answered, the server says nothing serves it, or unknown. */
export type ProbeAnswer = 'alive' | 'gone' | 'unsure';

/**
 * The server's own answer that nothing serves the egress's topic any more. Measured on v1.13.5
 * with a SIGKILLed worker: UpdateStream gets 503 `unavailable` "no response from servers" after
 * 3.0 s. A timeout (our client's, status 0, or the server's `deadline_exceeded` 408/504) is what a
 * slow worker that is still recording also produces, so it proves nothing on its own: it is
 * `unsure`. Any other error (LiveKit down, a non-stream egress) is no sign of a lost worker.
 */
export function probeAnswerOf(err: unknown): ProbeAnswer {
  if (!(err instanceof LiveKitError)) return 'alive';
  if (err.kind === 'timeout') return 'unsure';
  const noServer = err.kind === 'unavailable' && /no response from servers/i.test(err.message);
  return noServer && err.status !== 0 ? 'gone' : 'alive';
}

async function probeOnce(
  port: LiveKitPort,
  egressId: string,
  timeoutMs: number,
): Promise<ProbeAnswer> {
  try {
    await port.updateStream(egressId, [], [], { timeoutMs });
    return 'alive';
  } catch (err) {
    return probeAnswerOf(err);
  }
}

/**
 * Probes one egress: true when its worker is gone. Only the server's own answer counts; an
 * unsure (timed-out) probe is followed by a second one, and the egress is lost only if that one
 * gets the server's answer, so a slow worker is never replaced while it still records.
 * Exported for the benchmark.
 */
export async function probeEgress(
  port: LiveKitPort,
  egressId: string,
  timeoutMs: number,
): Promise<boolean> {
  const first = await probeOnce(port, egressId, timeoutMs);
  if (first !== 'unsure') return first === 'gone';
  return (await probeOnce(port, egressId, timeoutMs)) === 'gone';
}

export async function findLostEgress(
  port: LiveKitPort,
  candidates: readonly LiveEgress[],
  nowMs: number,
  options: RecordingOptions,
): Promise<string[]> {
  let seen = lastProbe.get(port);
  if (!seen) lastProbe.set(port, (seen = new Map<string, number>()));
  // A probe older than the interval throttles nothing (the egress is due again): forgetting it
  // changes no decision and keeps the map to the egresses probed within one interval, so ended
  // egresses (never listed again) do not pile up in a long-running daemon.
  for (const [id, at] of seen) if (nowMs - at >= options.probeIntervalMs) seen.delete(id);
  const due = candidates.filter((e) => {
    if (e.status !== 'active' && e.status !== 'starting') return false;
    const since = e.startedAtMs > 0 ? e.startedAtMs : e.updatedAtMs;
    if (nowMs - since < options.probeMinAgeMs) return false;
    const last = seen.get(e.egressId);
    return last === undefined || nowMs - last >= options.probeIntervalMs;
  });
  for (const e of due) seen.set(e.egressId, nowMs);
  const results = await Promise.all(
    due.map(async (e) =>
      (await probeEgress(port, e.egressId, options.probeTimeoutMs)) ? e.egressId : undefined,
    ),
  );
  const lost = results.filter((id): id is string => id !== undefined);
  // A lost egress stays listed and is probed again at the next reconcile (not throttled).
  for (const id of lost) seen.delete(id);
  return lost;
}
