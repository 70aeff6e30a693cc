/**
 * The `recordings` block of a room's status: egress results folded from `egress_*` webhooks and
 * from resync observations, and what the recording reconcile reported (adoptions, failures, lost
 * egresses). Pure folds on a room's status (its `recordings` part); time comes in as an ISO string.
 */
import type { EgressStatus, LiveEgress } from '../../core/live.ts';
import { scrubText } from '../../core/redact.ts';

/** The part of a room's status these folds touch (a RoomStatus is one). */
export interface WithRecordings {
  recordings: RoomRecordings;
}

export interface StatusEgressFile {
  location: string;
  /** Bytes. */
  size: number;
  durationMs: number;
}

export interface StatusEgressStream {
  /** Scheme and host only, with the path's last segment (the stream key) and query redacted. */
  url: string;
  status: string;
  error?: string;
}

export interface StatusEgress {
  egressId: string;
  /** The policy that owns it (state), or whose request it matches; null for others' egress. */
  policy: string | null;
  status: EgressStatus;
  /** The server still lists it ACTIVE but its worker is gone (the probe found it). */
  lost?: true;
  startedAt: string | null;
  endedAt: string | null;
  files: StatusEgressFile[];
  streams: StatusEgressStream[];
  error?: string;
}

export type RecordingStatusEventKind =
  | 'adopted'
  | 'unanswered'
  | 'failed'
  | 'lost'
  | 'completed'
  | 'start_failed';

export interface RecordingStatusEvent {
  time: string;
  kind: RecordingStatusEventKind;
  policy: string;
  egressId?: string;
  message: string;
}

export interface RoomRecordings {
  /** Ids of running egresses (STARTING, ACTIVE, ENDING), lost ones excluded. */
  active: string[];
  /** Running egresses with their results so far (lost ones included, marked). */
  egresses?: StatusEgress[];
  /** The last MAX_ENDED ended egresses, oldest first. */
  ended?: StatusEgress[];
  /** The last MAX_RECORDING_EVENTS reconcile reports, oldest first. */
  events?: RecordingStatusEvent[];
}

export const MAX_ENDED = 10;
export const MAX_RECORDING_EVENTS = 20;
const RUNNING = new Set<EgressStatus>(['starting', 'active', 'ending']);

/**
 * Stream URLs carry stream keys (in the last path segment, the query or the user info): keep the
 * scheme, host and the path up to the last segment only.
 */
export function redactStreamUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)/i.exec(url);
  if (!m) return '(redacted)';
  const host = (m[2] ?? '').replace(/^.*@/, '');
  const segments = (m[3] ?? '').split('/').filter((x) => x !== '');
  segments.pop();
  return `${m[1] ?? ''}${host}/${[...segments, '(redacted)'].join('/')}`;
}

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

function toStatusEgress(
  e: LiveEgress,
  policy: string | null,
  secrets: readonly string[],
): StatusEgress {
  const out: StatusEgress = {
    egressId: e.egressId,
    policy,
    status: e.status,
    startedAt: iso(e.startedAtMs),
    endedAt: iso(e.endedAtMs),
    files: e.fileResults.map((f) => ({
      location: scrubText(f.location, secrets),
      size: f.size,
      durationMs: f.durationMs,
    })),
    streams: e.streamResults.map((st) => {
      const s: StatusEgressStream = { url: redactStreamUrl(st.url), status: st.status };
      if (st.error) s.error = scrubText(st.error, secrets);
      return s;
    }),
  };
  if (e.error) out.error = scrubText(e.error, secrets);
  return out;
}

function recount(r: RoomRecordings): void {
  r.active = (r.egresses ?? []).filter((e) => !e.lost).map((e) => e.egressId);
  if (r.egresses?.length === 0) delete r.egresses;
  if (r.ended?.length === 0) delete r.ended;
}

/** Folds one EgressInfo (from a webhook or a listing) into the room's recordings. */
export function foldEgress(
  s: WithRecordings,
  e: LiveEgress,
  policy: string | undefined,
  secrets: readonly string[],
): void {
  const r = s.recordings;
  const running = (r.egresses ??= []);
  const ended = (r.ended ??= []);
  const i = running.findIndex((x) => x.egressId === e.egressId);
  const j = ended.findIndex((x) => x.egressId === e.egressId);
  const prev = running[i] ?? ended[j];
  const next = toStatusEgress(e, policy ?? prev?.policy ?? null, secrets);
  if (prev?.lost && RUNNING.has(e.status)) next.lost = true;
  if (RUNNING.has(e.status)) {
    // A late or reordered update never resurrects an egress whose end we already saw.
    if (j !== -1 && !RUNNING.has(ended[j]!.status)) return recount(r);
    if (j !== -1) ended.splice(j, 1);
    if (i === -1) running.push(next);
    else running[i] = next;
  } else {
    if (i !== -1) running.splice(i, 1);
    if (j === -1) ended.push(next);
    else ended[j] = next;
    if (ended.length > MAX_ENDED) ended.splice(0, ended.length - MAX_ENDED);
  }
  recount(r);
}

/**
 * A resync observed the room's egress: every running one is folded; a running one in the status
 * that the server no longer lists (and whose end we did not see) moves to `ended` as last known.
 */
export function syncObservedEgress(
  s: WithRecordings,
  observed: { active: readonly LiveEgress[]; ended: readonly LiveEgress[] },
  lost: ReadonlySet<string>,
  policyOf: (e: LiveEgress) => string | undefined,
  secrets: readonly string[],
): void {
  const seen = new Set<string>();
  for (const e of [...observed.active, ...observed.ended]) {
    seen.add(e.egressId);
    foldEgress(s, e, policyOf(e), secrets);
  }
  const r = s.recordings;
  for (const e of [...(r.egresses ?? [])]) {
    if (!seen.has(e.egressId)) {
      r.egresses = (r.egresses ?? []).filter((x) => x.egressId !== e.egressId);
      r.ended = [...(r.ended ?? []), e].slice(-MAX_ENDED);
    }
  }
  for (const e of r.egresses ?? []) if (lost.has(e.egressId)) e.lost = true;
  recount(r);
}

export function foldRecordingEvent(
  s: WithRecordings,
  ev: Omit<RecordingStatusEvent, 'time'>,
  now: string,
  secrets: readonly string[],
): void {
  const r = s.recordings;
  const events = (r.events ??= []);
  const entry: RecordingStatusEvent = {
    time: now,
    kind: ev.kind,
    policy: ev.policy,
    message: scrubText(ev.message, secrets),
  };
  if (ev.egressId !== undefined) entry.egressId = ev.egressId;
  events.push(entry);
  if (events.length > MAX_RECORDING_EVENTS) events.splice(0, events.length - MAX_RECORDING_EVENTS);
  if (ev.kind === 'lost' && ev.egressId !== undefined) {
    const e = r.egresses?.find((x) => x.egressId === ev.egressId);
    if (e) e.lost = true;
    recount(r);
  }
}
