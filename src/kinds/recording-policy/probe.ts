/**
 * Lost-egress detection. When an egress worker dies, LiveKit keeps its egress ACTIVE forever and
 * says nothing. The probe is an UpdateStream with empty add/remove lists: the server routes it to
 * the egress's worker, a live worker answers at once (with the egress, or an error for a
 * non-stream egress), and for a dead one the server answers 503 "no response from servers" after
 * ~3 s (see isLostAnswer).
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

/**
 * The server's answer when nothing serves the egress's topic any more. Measured on v1.13.5 with a
 * SIGKILLed worker: UpdateStream gets 503 `unavailable` "no response from servers" after 3.0 s
 * (StopEgress gets 408 `deadline_exceeded` after 3.0 s instead). Our own client timeout (status 0)
 * proves nothing and does not count.
 */
export function isLostAnswer(err: unknown): boolean {
  if (!(err instanceof LiveKitError) || err.status === 0) return false;
  if (err.kind === 'timeout') return true;
  return err.kind === 'unavailable' && /no response from servers/i.test(err.message);
}

/** Probes one egress: true when its worker is gone. Exported for the benchmark. */
export async function probeEgress(
  port: LiveKitPort,
  egressId: string,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await port.updateStream(egressId, [], [], { timeoutMs });
    return false;
  } catch (err) {
    return isLostAnswer(err);
  }
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
