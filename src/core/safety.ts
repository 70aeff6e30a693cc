/**
 * Safety guards an apply checks before touching LiveKit (design.md section 5). Each guard can be
 * overridden with `--force`; the reasons say which guard refused and how to proceed.
 */
import type { Plan } from './plan.ts';
import { destructiveCount } from './plan-summary.ts';

export interface SafetyOptions {
  /** Most deletes allowed without --force; a replace counts as a delete. */
  maxDeletes: number;
  force: boolean;
  /** Number of spec documents loaded (all kinds). */
  specCount: number;
}

export type SafetyResult = { ok: true } | { ok: false; reasons: string[] };

/** A suggested default for the config's maxDeletes; the CLI owns the actual default. */
export const DEFAULT_MAX_DELETES = 10;

export function checkSafety(plan: Plan, options: SafetyOptions): SafetyResult {
  if (options.force) return { ok: true };
  const reasons: string[] = [];
  const deletes = destructiveCount(plan);
  if (deletes > options.maxDeletes) {
    reasons.push(
      `the plan deletes ${deletes} objects (replacements included), more than maxDeletes (${options.maxDeletes}); review it and rerun with --force, or raise maxDeletes`,
    );
  }
  // An empty spec set is far more often a wrong path or a broken checkout than an intent
  // (Argo CD's allowEmpty guard).
  if (options.specCount === 0 && plan.changes.length > 0) {
    reasons.push(
      'the spec set is empty; acting on it would only delete; check the spec paths, or rerun with --force',
    );
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
