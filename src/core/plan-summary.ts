/**
 * Summary counting shared by the three renderers and `--detailed-exitcode`.
 * A replace counts as one create and one delete (Terraform's "N to add, N to destroy");
 * egress start/stop and moderation actions count as other.
 */
import type { Plan, PlanSummary } from './plan.ts';

export function summarizePlan(plan: Plan): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, other: 0 };
  for (const change of plan.changes) {
    switch (change.action) {
      case 'create':
        summary.create += 1;
        break;
      case 'update':
        summary.update += 1;
        break;
      case 'delete':
        summary.delete += 1;
        break;
      case 'replace':
        summary.create += 1;
        summary.delete += 1;
        break;
      default:
        summary.other += 1;
    }
  }
  return summary;
}

export const NO_CHANGES_LINE = 'No changes. LiveKit matches the specs.';

/** `Plan: N to create, N to update, N to delete, N other.` or the no-changes line. */
export function summaryLine(plan: Plan): string {
  if (plan.changes.length === 0) return NO_CHANGES_LINE;
  const s = summarizePlan(plan);
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.other} other.`;
}

/** Changes that delete a live object: delete, and replace (delete + create). */
export function destructiveCount(plan: Plan): number {
  return plan.changes.filter((c) => c.action === 'delete' || c.action === 'replace').length;
}
