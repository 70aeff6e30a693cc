/**
 * The state-loss guard. An empty or missing state starts a new lineage; if that happened because
 * the state was lost (a deleted file, a Redis restarted empty), LiveKit still holds what the old
 * state owned. While the guard is open, kinds adopt what they can prove is ours (an active egress
 * whose request fingerprint is a selecting policy's, a SIP object carrying a marker of a lineage
 * this installation used), so nothing is started twice, and the plan reports what was adopted.
 *
 * Open while nothing was ever written (serial 0), or until a full plan writes after a scoped
 * reconcile wrote first (`stateLossGuard` in the document), so a webhook-scoped reconcile cannot
 * close the guard for rooms it did not look at. Pure.
 */
import type { StateDocument } from './inventory.ts';

export interface AdoptedObject {
  address: string;
  kind: string;
  serverId?: string;
}

export interface StateLossReport {
  /** The new lineage. */
  lineage: string;
  adopted: AdoptedObject[];
}

export function stateLossGuardOpen(state: StateDocument): boolean {
  return state.serial === 0 || state.stateLossGuard !== undefined;
}

/**
 * The settled state with the guard's own field kept (scoped) or closed (full plan), and what
 * settling adopted while it was open. Undefined when the guard is closed.
 */
export function closeStateLossGuard(
  base: StateDocument,
  settled: StateDocument,
  scoped: boolean,
  now: Date,
): { state: StateDocument; report: StateLossReport } | undefined {
  if (!stateLossGuardOpen(base)) return undefined;
  const adopted: AdoptedObject[] = [];
  for (const [address, o] of Object.entries(settled.owned)) {
    if (base.owned[address]?.serverId === o.serverId) continue;
    adopted.push({ address, kind: o.kind, ...(o.serverId ? { serverId: o.serverId } : {}) });
  }
  const report = { lineage: settled.lineage, adopted };
  if (scoped) {
    if (settled.stateLossGuard) return { state: settled, report };
    return { state: { ...settled, stateLossGuard: { since: now.toISOString() } }, report };
  }
  if (!settled.stateLossGuard) return { state: settled, report };
  const closed = { ...settled };
  delete closed.stateLossGuard;
  return { state: closed, report };
}

/** Plan warnings that say what the guard adopted. */
export function stateLossWarnings(report: StateLossReport): string[] {
  return report.adopted.map(
    (a) =>
      `state-loss guard: the state is new (lineage ${report.lineage}); adopted ${a.address}` +
      `${a.serverId ? ` (${a.serverId})` : ''}, which LiveKit holds and is provably ours`,
  );
}
