/**
 * Liveness and readiness of the daemon, as pure functions of what it tracks. `/healthz` fails
 * when the process is alive but stuck: a reconcile running for longer than the work bound (all
 * workers wedged on a call that never returns), or no lease progress (a renewal, or while
 * standing by an attempt at the lease) within the lease bound (a hung Redis or file system).
 * A supervisor restarts a daemon whose /healthz fails; /readyz only says whether it leads and
 * is converged, so a standby is healthy but not ready.
 */
import type { HttpReply } from '../adapters/webhook/http-server.ts';

export const DEFAULT_WORK_STALL_MS = 120_000;
export const DEFAULT_LEASE_STALL_MS = 30_000;

export interface HealthInputs {
  now: number;
  /** Start time of the oldest reconcile still running, if any. */
  oldestReconcileStart: number | undefined;
  /** Last time the lease made progress: renewed, taken, or (standing by) an attempt returned. */
  leaseProgressAt: number;
  workStallMs: number;
  leaseStallMs: number;
}

export function healthReasons(h: HealthInputs): string[] {
  const reasons: string[] = [];
  if (h.oldestReconcileStart !== undefined && h.now - h.oldestReconcileStart > h.workStallMs) {
    const s = Math.round((h.now - h.oldestReconcileStart) / 1000);
    reasons.push(`work loop stalled: a reconcile has been running for ${s}s`);
  }
  if (h.now - h.leaseProgressAt > h.leaseStallMs) {
    const s = Math.round((h.now - h.leaseProgressAt) / 1000);
    reasons.push(`lease stalled: no renewal or attempt finished for ${s}s`);
  }
  return reasons;
}

export interface ReadyInputs {
  leading: boolean;
  firstFullDone: boolean;
  livekitUp: boolean | undefined;
}

export function readyReasons(r: ReadyInputs): string[] {
  const reasons: string[] = [];
  if (!r.leading) reasons.push('standby: waiting for the lease');
  if (!r.firstFullDone) reasons.push('first full reconcile not finished');
  if (r.livekitUp === false) reasons.push('LiveKit unreachable');
  return reasons;
}

/** 200 with `{ok:true}` or 503 with the reasons, as JSON. */
export function probeReply(key: 'healthy' | 'ready', reasons: readonly string[]): HttpReply {
  const ok = reasons.length === 0;
  return {
    status: ok ? 200 : 503,
    body: JSON.stringify({ [key]: ok, reasons }) + '\n',
    contentType: 'application/json',
  };
}
