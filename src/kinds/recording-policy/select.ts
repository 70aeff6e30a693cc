/**
 * Which (policy, room) pairs a recording policy covers now, and whether each one should be
 * recording: the room is selected (names, globs over live names, labels of Room specs), the
 * schedule is open, and the participant and publisher counts meet `when`.
 */
import picomatch from 'picomatch';
import type { LiveRoom } from '../../core/live.ts';
import { isOpenAt } from '../room/schedule.ts';
import { recordingAddress, type DesiredRecordingPolicy } from './desired.ts';

export interface RecordingPair {
  address: string;
  policy: DesiredRecordingPolicy;
  room: LiveRoom;
  holds: boolean;
  /** Why it does not hold (for stops and the plan text); empty when it holds. */
  why: string;
}

const matchers = new WeakMap<DesiredRecordingPolicy, (name: string) => boolean>();

function matcher(policy: DesiredRecordingPolicy): (name: string) => boolean {
  let m = matchers.get(policy);
  if (!m) {
    const names = new Set(policy.rooms.names);
    const glob =
      policy.rooms.match.length > 0
        ? picomatch([...policy.rooms.match], { dot: true })
        : () => false;
    m = (name) => names.has(name) || glob(name);
    matchers.set(policy, m);
  }
  return m;
}

/**
 * Selected by name or glob, or by labels when the room is declared by a Room spec whose labels
 * include every selector label. A client-created room has no labels.
 */
export function selectsRoom(
  policy: DesiredRecordingPolicy,
  room: string,
  roomLabels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (matcher(policy)(room)) return true;
  const wanted = Object.entries(policy.rooms.labels);
  if (wanted.length === 0 || roomLabels === undefined) return false;
  return wanted.every(([k, v]) => roomLabels[k] === v);
}

export function whyNot(policy: DesiredRecordingPolicy, room: LiveRoom, now: Date): string {
  const w = policy.when;
  if (!isOpenAt(w.schedule, now)) return 'outside the schedule';
  if (room.numParticipants < w.minParticipants) {
    return `${room.numParticipants} of ${w.minParticipants} participants`;
  }
  if (room.numPublishers < w.minPublishers) {
    return `${room.numPublishers} of ${w.minPublishers} publishers`;
  }
  return '';
}

export function recordingPairs(
  policies: readonly DesiredRecordingPolicy[],
  rooms: readonly LiveRoom[],
  labelsOf: ReadonlyMap<string, Readonly<Record<string, string>>>,
  now: Date,
): Map<string, RecordingPair> {
  const pairs = new Map<string, RecordingPair>();
  for (const policy of policies) {
    for (const room of rooms) {
      if (!selectsRoom(policy, room.name, labelsOf.get(room.name))) continue;
      const why = whyNot(policy, room, now);
      const address = recordingAddress(policy.name, room.name);
      pairs.set(address, { address, policy, room, holds: why === '', why });
    }
  }
  return pairs;
}
