/**
 * Which policy an egress belongs to, for status files: the state's owned entries and lost ids
 * first, then pending starts (room + request fingerprint), then a policy whose request matches
 * (an egress whose start answer has not been recorded yet). Pure.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveEgress } from '../../core/live.ts';
import { RECORDING_KIND, type DesiredRecordingPolicy } from './desired.ts';
import { fingerprintOf } from './fingerprint.ts';
import { policyFingerprint } from './planner.ts';
import { isRecordingAddress } from './settle.ts';

export type EgressPolicyOf = (e: LiveEgress) => string | undefined;

export function egressPolicyResolver(
  state: StateDocument,
  policies: readonly DesiredRecordingPolicy[],
): EgressPolicyOf {
  const byId = new Map<string, string>();
  for (const o of Object.values(state.owned)) {
    if (o.kind === RECORDING_KIND && o.serverId) byId.set(o.serverId, o.name);
  }
  for (const rec of Object.values(state.recordings ?? {}))
    for (const id of rec.lost ?? []) byId.set(id, rec.policy);
  const pending = new Map<string, string>();
  for (const [address, op] of Object.entries(state.pending)) {
    if (!isRecordingAddress(address) || op.operation !== 'start') continue;
    pending.set(
      `${op.match['room'] ?? ''}\n${op.match['fingerprint'] ?? ''}`,
      op.match['policy'] ?? '',
    );
  }
  // A fingerprint two policies share names neither.
  const byFingerprint = new Map<string, string | null>();
  for (const p of policies) {
    const f = policyFingerprint(p);
    byFingerprint.set(f, byFingerprint.has(f) ? null : p.name);
  }
  return (e) => {
    const owned = byId.get(e.egressId);
    if (owned !== undefined) return owned;
    if (e.request === undefined) return undefined;
    const f = fingerprintOf(e.request);
    return pending.get(`${e.roomName}\n${f}`) ?? byFingerprint.get(f) ?? undefined;
  };
}
