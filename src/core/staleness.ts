/**
 * Saved-plan staleness: a plan may only be applied against the specs, live state, state
 * inventory and tool version it was made from (Terraform refuses "Saved plan is stale").
 */
import type { Plan } from './plan.ts';

export interface CurrentFingerprint {
  specHash: string;
  liveHash: string;
  stateHash: string;
  toolVersion: string;
}

export type StalenessResult = { fresh: true } | { fresh: false; reasons: string[] };

export function checkSavedPlan(saved: Plan, current: CurrentFingerprint): StalenessResult {
  const reasons: string[] = [];
  if (saved.specHash !== current.specHash) {
    reasons.push('the specs changed since the plan was made');
  }
  if (saved.liveHash !== current.liveHash) {
    reasons.push('the live LiveKit state changed since the plan was made');
  }
  if (saved.stateHash !== current.stateHash) {
    reasons.push('the state inventory was changed by another operation since the plan was made');
  }
  if (saved.toolVersion !== current.toolVersion) {
    reasons.push(
      `the plan was made by livekit-gitops ${saved.toolVersion}, this is ${current.toolVersion}`,
    );
  }
  return reasons.length === 0 ? { fresh: true } : { fresh: false, reasons };
}
