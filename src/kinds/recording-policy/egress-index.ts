/**
 * The daemon's memory of which policy each egress belongs to, refreshed by every reconcile (the
 * state it read and the starts it made), so that webhook intake can name the policy at once.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveEgress } from '../../core/live.ts';
import type { DesiredRecordingPolicy } from './desired.ts';
import { egressPolicyResolver, type EgressPolicyOf } from './egress-owner.ts';

export interface EgressPolicyIndex {
  update(state: StateDocument, policies: readonly DesiredRecordingPolicy[]): void;
  /** An egress this daemon just started (its id is not in the state it read). */
  remember(egressId: string, policy: string): void;
  policyOf: EgressPolicyOf;
}

const MAX_REMEMBERED = 10_000;

export function createEgressPolicyIndex(): EgressPolicyIndex {
  let resolve: EgressPolicyOf = () => undefined;
  const started = new Map<string, string>();
  return {
    update(state, policies) {
      resolve = egressPolicyResolver(state, policies);
    },
    remember(egressId, policy) {
      started.set(egressId, policy);
      if (started.size > MAX_REMEMBERED) {
        const oldest = started.keys().next().value;
        if (oldest !== undefined) started.delete(oldest);
      }
    },
    policyOf: (e: LiveEgress) => resolve(e) ?? started.get(e.egressId),
  };
}
