/**
 * Whether a reconcile that plans no change must still write the state: settling changed the
 * inventory (an adoption, a dropped marker, the state-loss guard closed) or protections are new.
 */
import type { StateDocument } from '../core/inventory.ts';
import type { Plan } from '../core/plan.ts';

function inventory(doc: StateDocument): string {
  // The guard's field too: a full plan closing it must write even when nothing else changed.
  return JSON.stringify([doc.owned, doc.pending, doc.protections, doc.stateLossGuard]);
}

export function needsWrite(plan: Plan, before: StateDocument, settled: StateDocument): boolean {
  const p = plan.protections;
  if (p && (p.protect.length > 0 || p.unprotect.length > 0)) {
    // Only protections not yet recorded need a write.
    if (p.protect.some((a) => !before.protections[a])) return true;
    if (p.unprotect.some((a) => before.protections[a])) return true;
  }
  return inventory(before) !== inventory(settled);
}
