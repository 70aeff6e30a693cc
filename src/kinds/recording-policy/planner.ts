/**
 * The recording planner: (policies, live rooms, all active egress, settled state, now) → start and
 * stop changes, one address per policy and room. Pure.
 *
 * - start: the policy holds for a selected room and none of this policy's egress is active there,
 *   no start is awaiting its answer, and the retry backoff and cap allow it;
 * - stop: the policy no longer holds (room emptied, window closed, room gone) or was removed, and
 *   its egress is still STARTING/ACTIVE; also a second egress matching an owned one's request in
 *   the same room (a late answer to a start given up on), so one policy and room never keep two.
 */
import { emptyKindResult, type BoundKind, type KindResult } from '../../core/kind-planner.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveEgress, LiveRoom } from '../../core/live.ts';
import type { JsonValue } from '../../core/plan.ts';
import { startChange, stopChange } from './change.ts';
import { RECORDING_KIND, recordingAddress, type DesiredRecordingPolicy } from './desired.ts';
import { fingerprintOf, summaryOfPolicyRequest } from './fingerprint.ts';
import type { RecordingOptions } from './options.ts';
import { recordingPairs, type RecordingPair } from './select.ts';
import { isRecordingAddress, roomOfOwned } from './settle.ts';

export interface RecordingPlanInput {
  policies: readonly DesiredRecordingPolicy[];
  /** Live rooms (the scope's, when scoped). */
  rooms: readonly LiveRoom[];
  /** Labels of Room specs, by room name (selectors' `labels`). */
  labelsOf: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Every active egress. */
  active: readonly LiveEgress[];
  options: RecordingOptions;
  scope?: ReadonlySet<string> | undefined;
}

/** The addresses whose policy holds now (what settle needs before planning). */
export function holdingAddresses(input: RecordingPlanInput, now: Date): Set<string> {
  const out = new Set<string>();
  for (const [address, pair] of recordingPairs(input.policies, input.rooms, input.labelsOf, now)) {
    if (pair.holds) out.add(address);
  }
  return out;
}

/**
 * Every address whose policy selects a live room (holding or not), with the policy's request
 * fingerprint: what the state-loss guard may adopt.
 */
export function adoptableAddresses(
  input: RecordingPlanInput,
  now: Date,
): Map<string, { policy: string; room: string; fingerprint: string }> {
  const out = new Map<string, { policy: string; room: string; fingerprint: string }>();
  for (const [address, pair] of recordingPairs(input.policies, input.rooms, input.labelsOf, now)) {
    const fingerprint = policyFingerprint(pair.policy);
    out.set(address, { policy: pair.policy.name, room: pair.room.name, fingerprint });
  }
  return out;
}

export function bindRecording(input: RecordingPlanInput): BoundKind {
  return { kind: RECORDING_KIND, plan: (state, ctx) => planRecordings(input, state, ctx.now) };
}

const fingerprints = new WeakMap<DesiredRecordingPolicy, string>();
export function policyFingerprint(policy: DesiredRecordingPolicy): string {
  let f = fingerprints.get(policy);
  if (f === undefined) {
    f = fingerprintOf(summaryOfPolicyRequest(policy.request));
    fingerprints.set(policy, f);
  }
  return f;
}

export function planRecordings(
  input: RecordingPlanInput,
  state: StateDocument,
  now: Date,
): KindResult {
  const result = emptyKindResult();
  const inScope = (room: string): boolean => input.scope === undefined || input.scope.has(room);
  const pairs = recordingPairs(input.policies, input.rooms, input.labelsOf, now);
  const byName = new Map(input.policies.map((p) => [p.name, p]));
  const activeById = new Map(input.active.map((e) => [e.egressId, e]));

  const addresses = new Set(pairs.keys());
  for (const [address, o] of Object.entries(state.owned)) {
    if (o.kind === RECORDING_KIND && inScope(roomOfOwned(address, o.name))) addresses.add(address);
  }
  for (const [address, op] of Object.entries(state.pending)) {
    if (isRecordingAddress(address) && inScope(op.match['room'] ?? '')) addresses.add(address);
  }

  for (const address of [...addresses].sort()) {
    const pair = pairs.get(address);
    const owned = state.owned[address];
    const pending = state.pending[address];
    const policyName = pair?.policy.name ?? owned?.name ?? pending?.match['policy'] ?? '';
    const room =
      pair?.room.name ??
      (owned ? roomOfOwned(address, owned.name) : (pending?.match['room'] ?? ''));
    const egress = owned?.serverId ? activeById.get(owned.serverId) : undefined;
    const fact: { [key: string]: JsonValue } = {
      holds: pair?.holds ?? false,
      egress: egress?.egressId ?? null,
      pending: pending !== undefined,
    };
    result.liveFacts[address] = fact;
    if (pair?.holds) {
      planHolding(pair, egress, state, now, input.options, result);
      continue;
    }
    if (egress && (egress.status === 'starting' || egress.status === 'active')) {
      const policy = byName.get(policyName);
      const reason =
        policy === undefined
          ? 'delete_because_no_resource_config'
          : pair === undefined
            ? 'room_not_selected_or_gone'
            : `policy_no_longer_holds: ${pair.why}`;
      result.changes.push(stopChange(policyName, room, address, egress, reason, policy?.source));
    }
  }
  planDuplicates(input, state, result);
  return result;
}

function planHolding(
  pair: RecordingPair,
  egress: LiveEgress | undefined,
  state: StateDocument,
  now: Date,
  options: RecordingOptions,
  result: KindResult,
): void {
  const { address, policy } = pair;
  if (egress) return;
  const base = { address, kind: RECORDING_KIND, name: policy.name, action: 'start' as const };
  const pending = state.pending[address];
  if (pending) {
    result.held.push({
      ...base,
      reason: `a start sent at ${pending.startedAt} has no answer yet; waiting for its egress to appear`,
    });
    return;
  }
  const rec = state.recordings?.[address];
  if (rec && rec.failures > options.maxRetries) {
    const why = `gave up after ${rec.failures} failures (last: ${rec.lastError ?? 'unknown'})`;
    result.held.push({ ...base, reason: why });
    result.warnings.push(`recording ${address}: ${why}`);
    return;
  }
  if (rec?.retryAt !== undefined && Date.parse(rec.retryAt) > now.getTime()) {
    result.held.push({
      ...base,
      reason: `retry ${rec.failures} of ${options.maxRetries} at ${rec.retryAt} (last: ${rec.lastError ?? 'unknown'})`,
    });
    return;
  }
  const reason =
    rec === undefined || rec.failures === 0
      ? 'policy_holds'
      : rec.retryAt === undefined
        ? 'replace_lost_egress'
        : 'retry_after_failure';
  result.changes.push(
    startChange(policy, pair.room.name, address, reason, policyFingerprint(policy)),
  );
}

/** Egresses in a room with the same request as one a policy owns there: stop the extra ones. */
function planDuplicates(input: RecordingPlanInput, state: StateDocument, result: KindResult): void {
  const owned = new Map<string, { address: string; policy: string; room: string; fp: string }>();
  const taken = new Set<string>();
  const lost = new Set<string>();
  for (const rec of Object.values(state.recordings ?? {}))
    for (const id of rec.lost ?? []) lost.add(id);
  const byName = new Map(input.policies.map((p) => [p.name, p]));
  for (const [address, o] of Object.entries(state.owned)) {
    if (o.kind !== RECORDING_KIND || !o.serverId) continue;
    taken.add(o.serverId);
    const policy = byName.get(o.name);
    if (!policy) continue;
    const room = roomOfOwned(address, o.name);
    owned.set(`${room}\n${policyFingerprint(policy)}`, {
      address,
      policy: o.name,
      room,
      fp: policyFingerprint(policy),
    });
  }
  if (owned.size === 0) return;
  for (const e of input.active) {
    if (taken.has(e.egressId) || lost.has(e.egressId) || !e.request) continue;
    if (input.scope !== undefined && !input.scope.has(e.roomName)) continue;
    if (e.status !== 'starting' && e.status !== 'active') continue;
    const mine = owned.get(`${e.roomName}\n${fingerprintOf(e.request)}`);
    if (!mine || state.pending[mine.address]) continue;
    result.changes.push(
      stopChange(
        mine.policy,
        mine.room,
        `${recordingAddress(mine.policy, mine.room)}.duplicate.${e.egressId}`,
        e,
        'duplicate_egress',
      ),
    );
  }
}
