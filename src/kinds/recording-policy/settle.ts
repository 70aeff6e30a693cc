/**
 * Settles the recording entries of the state against what LiveKit shows now, before planning:
 * - a pending start whose egress is listed (same room, same request fingerprint, owned by no other
 *   address, not lost) is adopted: the answer was lost, the egress was not;
 * - a pending start with no such egress blocks new starts for `pendingGraceMs`, then counts as a
 *   failed start (backoff);
 * - an owned egress that ended FAILED/ABORTED/LIMIT_REACHED counts as a failure (backoff), one that
 *   completed is simply let go, one the probe found lost is marked lost and counts as a failure
 *   with no backoff (its replacement starts at once);
 * - while the state-loss guard is open (a new lineage), a running egress whose request is a
 *   selecting policy's is adopted (the old state owned it; a second one would duplicate it);
 * - the retry bookkeeping of a pair whose policy no longer holds is dropped.
 * Pure: returns a new document when something changed, the same one otherwise.
 */
import { draftState, type RecordingRecord, type StateDocument } from '../../core/inventory.ts';
import type { LiveEgress } from '../../core/live.ts';
import { RECORDING_KIND } from './desired.ts';
import { fingerprintOf } from './fingerprint.ts';
import { backoffMs, type RecordingOptions } from './options.ts';

export interface RecordingObservation {
  /** Every active egress (STARTING, ACTIVE, ENDING), every page. */
  active: readonly LiveEgress[];
  /** Owned egresses missing from the active list, looked up by id (ended; absent when purged). */
  ended: readonly LiveEgress[];
  /** Owned egress ids whose worker is gone (the probe timed out). */
  lost: readonly string[];
  /**
   * Exact counts of the scoped rooms (ListParticipants): ListRooms' counts lag behind joins with a
   * Redis-backed server, and a webhook-triggered reconcile must see the join that triggered it.
   */
  counts?: ReadonlyMap<string, { participants: number; publishers: number }>;
}

export type RecordingEventKind = 'adopted' | 'unanswered' | 'failed' | 'lost' | 'completed';

/** Something the status files, logs and metrics should report. */
export interface RecordingEvent {
  address: string;
  policy: string;
  room: string;
  kind: RecordingEventKind;
  egressId?: string;
  message: string;
}

export interface SettleRecordingInput {
  state: StateDocument;
  observation: RecordingObservation;
  /** Addresses whose policy holds now (a selected room satisfying `when`). */
  holding: ReadonlySet<string>;
  now: Date;
  options: RecordingOptions;
  /** Only touch entries of these rooms (the daemon's scoped reconcile). */
  scope?: ReadonlySet<string> | undefined;
  /**
   * While the state-loss guard is open (a new lineage): every address whose policy selects a live
   * room, with that policy's request fingerprint. A running egress there with that fingerprint
   * is adopted, so a lost state never starts a second recording.
   */
  adoptable?: ReadonlyMap<string, { policy: string; room: string; fingerprint: string }>;
}

const PREFIX = 'recording.';
const FAILED = new Set(['failed', 'aborted', 'limit_reached']);

export function isRecordingAddress(address: string): boolean {
  return address.startsWith(PREFIX);
}

/** The room of an owned recording entry (its name is the policy). */
export function roomOfOwned(address: string, policy: string): string {
  return address.slice(PREFIX.length + policy.length + 1);
}

/** Counts one failure: backoff from now (or none, to replace a lost egress at once). */
export function countFailure(
  doc: StateDocument,
  address: string,
  who: { policy: string; room: string },
  message: string,
  now: Date,
  options: RecordingOptions,
  immediate = false,
): RecordingRecord {
  const recordings = (doc.recordings = { ...doc.recordings });
  const prev = recordings[address];
  const rec: RecordingRecord = {
    ...prev,
    policy: who.policy,
    room: who.room,
    failures: (prev?.failures ?? 0) + 1,
    lastFailureAt: now.toISOString(),
    lastError: message,
  };
  delete rec.retryAt;
  if (!immediate) {
    rec.retryAt = new Date(now.getTime() + backoffMs(rec.failures, options)).toISOString();
  }
  recordings[address] = rec;
  return rec;
}

/**
 * The egress to adopt for a room and request: STARTING or ACTIVE there with that fingerprint,
 * owned by no address and never found lost; the lowest id when several.
 */
function adoptionCandidate(
  active: readonly LiveEgress[],
  doc: StateDocument,
  lostEver: ReadonlySet<string>,
  want: { room: string; fingerprint: string },
): LiveEgress | undefined {
  const taken = new Set(
    Object.values(doc.owned)
      .filter((o) => o.kind === RECORDING_KIND && o.serverId)
      .map((o) => o.serverId),
  );
  return active
    .filter(
      (e) =>
        e.roomName === want.room &&
        (e.status === 'starting' || e.status === 'active') &&
        !taken.has(e.egressId) &&
        !lostEver.has(e.egressId) &&
        e.request !== undefined &&
        fingerprintOf(e.request) === want.fingerprint,
    )
    .sort((a, b) => (a.egressId < b.egressId ? -1 : 1))[0];
}

export function settleRecordingInventory(input: SettleRecordingInput): {
  state: StateDocument;
  events: RecordingEvent[];
} {
  const { state, observation, now, options, scope } = input;
  const inScope = (room: string): boolean => scope === undefined || scope.has(room);
  const events: RecordingEvent[] = [];
  const activeById = new Map(observation.active.map((e) => [e.egressId, e]));
  const endedById = new Map(observation.ended.map((e) => [e.egressId, e]));
  const lostNow = new Set(observation.lost);
  const lostEver = new Set(lostNow);
  for (const rec of Object.values(state.recordings ?? {}))
    for (const id of rec.lost ?? []) lostEver.add(id);
  const ownedIds = new Set<string>();
  for (const o of Object.values(state.owned)) {
    if (o.kind === RECORDING_KIND && o.serverId) ownedIds.add(o.serverId);
  }

  const { edit, current: settled } = draftState(state);

  // Owned egresses first, so an adoption below cannot take one that is already someone's.
  for (const [address, obj] of Object.entries(state.owned)) {
    if (obj.kind !== RECORDING_KIND || !isRecordingAddress(address)) continue;
    const room = roomOfOwned(address, obj.name);
    if (!inScope(room) || obj.serverId === undefined) continue;
    const who = { policy: obj.name, room };
    const id = obj.serverId;
    const active = activeById.get(id);
    if (active && !lostNow.has(id)) continue;
    const doc = edit();
    delete doc.owned[address];
    if (active) {
      const rec = countFailure(
        doc,
        address,
        who,
        'egress lost: its worker stopped answering',
        now,
        options,
        true,
      );
      rec.lost = [...new Set([...(rec.lost ?? []), id])];
      events.push({
        address,
        ...who,
        kind: 'lost',
        egressId: id,
        message: 'egress lost: its worker stopped answering',
      });
      continue;
    }
    const ended = endedById.get(id);
    if (ended && FAILED.has(ended.status)) {
      const message = `egress ${ended.status}${ended.error ? `: ${ended.error}` : ''}`;
      countFailure(doc, address, who, message, now, options);
      events.push({ address, ...who, kind: 'failed', egressId: id, message });
    } else {
      events.push({ address, ...who, kind: 'completed', egressId: id, message: 'egress ended' });
    }
  }

  for (const [address, op] of Object.entries(state.pending)) {
    if (!isRecordingAddress(address) || op.operation !== 'start') continue;
    const room = op.match['room'] ?? '';
    const policy = op.match['policy'] ?? '';
    if (!inScope(room)) continue;
    const fingerprint = op.match['fingerprint'];
    const doc = edit();
    const candidate = adoptionCandidate(observation.active, doc, lostEver, {
      room,
      fingerprint: fingerprint ?? '',
    });
    if (candidate) {
      delete doc.pending[address];
      doc.owned[address] = {
        address,
        kind: RECORDING_KIND,
        name: policy,
        serverId: candidate.egressId,
        since: op.startedAt,
      };
      events.push({
        address,
        policy,
        room,
        kind: 'adopted',
        egressId: candidate.egressId,
        message: 'start answer lost; egress adopted',
      });
      continue;
    }
    const age = now.getTime() - Date.parse(op.startedAt);
    if (age < options.pendingGraceMs) continue;
    delete doc.pending[address];
    const message = 'StartEgress got no answer and no egress appeared';
    countFailure(doc, address, { policy, room }, message, now, options);
    events.push({ address, policy, room, kind: 'unanswered', message });
  }

  for (const [address, want] of input.adoptable ?? []) {
    const doc = settled();
    if (!inScope(want.room) || doc.owned[address] || doc.pending[address]) continue;
    const candidate = adoptionCandidate(observation.active, doc, lostEver, want);
    if (!candidate) continue;
    edit().owned[address] = {
      address,
      kind: RECORDING_KIND,
      name: want.policy,
      serverId: candidate.egressId,
      since: now.toISOString(),
    };
    events.push({
      address,
      policy: want.policy,
      room: want.room,
      kind: 'adopted',
      egressId: candidate.egressId,
      message: 'the state is new: the running egress with this policy’s request was adopted',
    });
  }

  const current = settled();
  for (const [address, rec] of Object.entries(current.recordings ?? {})) {
    if (!inScope(rec.room)) continue;
    const lost = (rec.lost ?? []).filter((id) => activeById.has(id));
    const idle =
      !input.holding.has(address) &&
      current.owned[address] === undefined &&
      current.pending[address] === undefined;
    if (!idle && lost.length === (rec.lost ?? []).length) continue;
    const doc = edit();
    const recordings = (doc.recordings = { ...doc.recordings });
    // A lost egress stays ACTIVE on the server forever: remember it while it is listed.
    if (idle && lost.length === 0) delete recordings[address];
    else if (idle) recordings[address] = { policy: rec.policy, room: rec.room, failures: 0, lost };
    else recordings[address] = { ...rec, lost };
  }
  return { state: settled(), events };
}
