/**
 * What a status file holds, and the pure folds that change it: webhook events, observations,
 * reconcile results. Time always comes in as an ISO string; nothing here touches the disk.
 */
import type { CommitInfo } from '../../core/git-commit.ts';
import type { LiveParticipant, LiveRoom, ParticipantKind } from '../../core/live.ts';
import type { RoomRecordings } from './recording-status.ts';

export type ConditionType = 'Synced' | 'Ready';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** Kubernetes-style condition (metav1.Condition), as Argo CD and Flux report them. */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  /** Changes only when `status` flips. */
  lastTransitionTime: string;
  /** The room spec's hash the condition was computed from ('' when not declared). */
  observedGeneration: string;
}

export interface StatusParticipant {
  identity: string;
  name: string;
  kind: ParticipantKind;
  joinedAt: string;
  publisher: boolean;
}

export interface StatusEvent {
  /** The webhook's id; for a moderation action, its plan address. */
  id: string;
  /** The webhook event type, or `moderation` for an action a ModerationRule took. */
  event: string;
  time: string;
  participant?: string;
  /** Moderation only: `<ModerationRule>.rules[i]` or `<ModerationRule>.limits`. */
  rule?: string;
  /** Moderation only: what was done (`remove`, `mute microphone`, `permissions canPublish=false`). */
  effect?: string;
  /** Moderation only. */
  result?: 'ok' | 'failed';
  /** Moderation only: the error, or a note such as "had already left". */
  message?: string;
}

export interface LastReconcile {
  time: string;
  result: 'success' | 'error' | 'held';
  /** `create`, `update room.x`, ...: what the reconcile did for this room. */
  actions: string[];
  message?: string;
}

/**
 * The kinds' own sections of a room's status (agent dispatches, ...): each kind declares its
 * member from its folder (`declare module '.../room-status.ts' { interface RoomStatusSections
 * { ... } }`) and folds it through the registry, so this file names no kind.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the kinds
export interface RoomStatusSections {}

export interface RoomStatus extends RoomStatusSections {
  apiVersion: 'livekit-gitops/v1';
  kind: 'RoomStatus';
  room: string;
  declared: boolean;
  live: boolean;
  sid: string | null;
  participants: StatusParticipant[];
  publishers: number;
  /** Egress of the room and recording reports (see recording-status.ts). */
  recordings: RoomRecordings;
  conditions: Condition[];
  events: StatusEvent[];
  lastReconcile: LastReconcile | null;
  /** With a git source: the commit that last changed this room's spec (and that spec's hash). */
  specCommit?: CommitInfo & { specHash: string };
  /**
   * Neither declared nor live: this file (and its entry in the daemon) is dropped after this
   * time unless the room is declared, live or changes again (src/daemon/status-retention.ts).
   */
  retainedUntil?: string;
  updatedAt: string;
}

/** The event fields the fold needs (a verified webhook carries more). */
export interface FoldableEvent {
  id: string;
  event: string;
  createdAtMs: number;
  room?: Pick<LiveRoom, 'name' | 'sid'>;
  participant?: Pick<LiveParticipant, 'identity' | 'name' | 'kind' | 'joinedAtMs' | 'isPublisher'>;
}

export const MAX_EVENTS = 20;

export function emptyRoomStatus(room: string, now: string): RoomStatus {
  return {
    apiVersion: 'livekit-gitops/v1',
    kind: 'RoomStatus',
    room,
    declared: false,
    live: false,
    sid: null,
    participants: [],
    publishers: 0,
    recordings: { active: [] },
    conditions: [],
    events: [],
    lastReconcile: null,
    updatedAt: now,
  };
}

function countPublishers(s: RoomStatus): void {
  s.publishers = s.participants.filter((p) => p.publisher).length;
}

function toStatusParticipant(p: NonNullable<FoldableEvent['participant']>): StatusParticipant {
  return {
    identity: p.identity,
    name: p.name,
    kind: p.kind,
    joinedAt: new Date(p.joinedAtMs || 0).toISOString(),
    publisher: p.isPublisher,
  };
}

/** Folds one webhook event into the room's status (in place). */
export function foldEvent(s: RoomStatus, ev: FoldableEvent, now: string): void {
  const identity = ev.participant?.identity;
  const entry: StatusEvent = {
    id: ev.id,
    event: ev.event,
    time: new Date(ev.createdAtMs || Date.parse(now)).toISOString(),
  };
  if (identity !== undefined) entry.participant = identity;
  s.events.push(entry);
  if (s.events.length > MAX_EVENTS) s.events.splice(0, s.events.length - MAX_EVENTS);
  s.updatedAt = now;
  switch (ev.event) {
    case 'room_started':
      s.live = true;
      if (ev.room?.sid) s.sid = ev.room.sid;
      break;
    case 'room_finished':
      s.live = false;
      s.sid = null;
      s.participants = [];
      markNotLive(s, now);
      break;
    case 'participant_joined':
    case 'track_published':
    case 'track_unpublished':
      if (ev.participant) upsertParticipant(s, ev);
      break;
    case 'participant_left':
    case 'participant_connection_aborted':
      s.participants = s.participants.filter((p) => p.identity !== identity);
      break;
    default:
      break;
  }
  countPublishers(s);
}

/** The server ended the room: not Ready until a reconcile says otherwise (it may recreate it). */
function markNotLive(s: RoomStatus, now: string): void {
  const ready = s.conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return;
  setCondition(
    s,
    {
      type: 'Ready',
      status: 'False',
      reason: 'NotLive',
      message: 'the room finished on the server',
      observedGeneration: ready.observedGeneration,
    },
    now,
  );
}

function upsertParticipant(s: RoomStatus, ev: FoldableEvent): void {
  const p = ev.participant;
  if (!p) return;
  s.live = true;
  if (ev.room?.sid) s.sid = ev.room.sid;
  const next = toStatusParticipant(p);
  // track_published carries the participant after the publish: a publisher from then on.
  if (ev.event === 'track_published') next.publisher = true;
  const i = s.participants.findIndex((x) => x.identity === p.identity);
  const prev = s.participants[i];
  if (prev === undefined) {
    s.participants.push(next);
    return;
  }
  // Track events carry a thinner participant (no name, no join time): keep what we knew.
  s.participants[i] = {
    identity: prev.identity,
    name: next.name || prev.name,
    kind: next.kind,
    joinedAt: p.joinedAtMs ? next.joinedAt : prev.joinedAt,
    publisher: ev.event === 'participant_joined' ? next.publisher || prev.publisher : next.publisher,
  };
}

/** Appends an event that is not a webhook (a moderation action), keeping the last MAX_EVENTS. */
export function appendEvent(s: RoomStatus, entry: StatusEvent, now: string): void {
  s.events.push(entry);
  if (s.events.length > MAX_EVENTS) s.events.splice(0, s.events.length - MAX_EVENTS);
  s.updatedAt = now;
}

/** Live facts from a resync: the observation wins over what webhooks said. */
export function applyObservation(
  s: RoomStatus,
  room: LiveRoom | undefined,
  participants: readonly LiveParticipant[] | undefined,
  now: string,
): void {
  s.updatedAt = now;
  if (!room) {
    s.live = false;
    s.sid = null;
    s.participants = [];
    s.publishers = 0;
    return;
  }
  s.live = true;
  s.sid = room.sid;
  if (participants) {
    s.participants = participants.map((p) => toStatusParticipant(p));
    countPublishers(s);
  } else if (room.numParticipants === 0) {
    s.participants = [];
    s.publishers = 0;
  } else {
    // Not listed this time (bounded): keep the webhook view, take the server's count of publishers.
    s.publishers = room.numPublishers;
  }
}

/** Sets a condition; `lastTransitionTime` moves only when the status flips. */
export function setCondition(
  s: RoomStatus,
  c: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): void {
  const i = s.conditions.findIndex((x) => x.type === c.type);
  const prev = i === -1 ? undefined : s.conditions[i];
  const lastTransitionTime =
    prev && prev.status === c.status ? prev.lastTransitionTime : now;
  const next: Condition = { ...c, lastTransitionTime };
  if (i === -1) s.conditions.push(next);
  else s.conditions[i] = next;
  s.conditions.sort((a, b) => a.type.localeCompare(b.type));
}

export function condition(s: RoomStatus, type: ConditionType): Condition | undefined {
  return s.conditions.find((c) => c.type === type);
}

/** Status files are named after rooms, made file-safe and reversible (`_daemon.yaml` stays free). */
export function statusFileName(room: string): string {
  let out = '';
  for (const ch of room) {
    if (/[A-Za-z0-9-]/.test(ch) || (ch === '.' && out !== '') || (ch === '_' && out !== '')) {
      out += ch;
    } else {
      out += [...new TextEncoder().encode(ch)]
        .map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'))
        .join('');
    }
  }
  return out + '.yaml';
}

export function roomFromFileName(file: string): string | undefined {
  if (!file.endsWith('.yaml') || file.startsWith('_')) return undefined;
  try {
    return decodeURIComponent(file.slice(0, -'.yaml'.length));
  } catch {
    return undefined;
  }
}
