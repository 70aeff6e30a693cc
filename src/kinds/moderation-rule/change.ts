/**
 * One decision → one `moderate` change: the calls that bring the participant to what its rule
 * decides (nothing when it already matches), with before/after for the plan and the calls as the
 * executor's payload. Pure.
 */
import type { JsonValue, ResourceChange } from '../../core/plan.ts';
import type { LiveTrack, ParticipantPermissions } from '../../core/live.ts';
import type { Decision, ModerationRuleDef } from './decide.ts';
import { differingFields, mergedPermission, NO_PERMISSION } from './permissions.ts';

/** The calls of one change, in the order the executor makes them. */
export type ModerationCall =
  | { op: 'mutePublishedTrack'; trackSid: string; source: string }
  | { op: 'updateParticipant'; permission: ParticipantPermissions }
  | { op: 'removeParticipant'; reason?: string };

export interface ModerationPayload {
  room: string;
  identity: string;
  /** Participant session the decision was made for. */
  sid: string;
  rule: string;
  /** `rules[i]` of the rule entry that matched, or `limits` when only maxPublishers acts. */
  cause: string;
  effects: string[];
  enforce: 'always' | 'onJoin';
  calls: ModerationCall[];
}

export interface BuildInput {
  address: string;
  room: string;
  enforce: 'always' | 'onJoin';
  rule: ModerationRuleDef;
  decision: Decision;
}

function mutable(track: LiveTrack, sources: readonly string[]): boolean {
  // Only published, unmuted media tracks: a muted track is never muted again.
  return (
    sources.includes(track.source) &&
    !track.muted &&
    (track.type === 'audio' || track.type === 'video')
  );
}

function toJson(value: unknown): JsonValue {
  return value as JsonValue;
}

export function buildChange(
  input: BuildInput,
): { change: ResourceChange; fact: JsonValue } | undefined {
  const { decision, rule } = input;
  const p = decision.participant;
  const current = p.permission ?? NO_PERMISSION;
  const cause = decision.ruleIndex === undefined ? 'limits' : `rules[${decision.ruleIndex}]`;
  const before: Record<string, JsonValue> = { sid: p.sid };
  const after: Record<string, JsonValue> = { rule: `${rule.name}.${cause}` };
  const changedFields: string[] = [];
  const calls: ModerationCall[] = [];

  if (decision.remove !== undefined) {
    calls.push({
      op: 'removeParticipant',
      ...(decision.remove.reason === undefined ? {} : { reason: decision.remove.reason }),
    });
    after['remove'] = true;
    if (decision.remove.reason !== undefined) after['reason'] = decision.remove.reason;
    changedFields.push('remove');
  } else {
    const toMute = p.tracks.filter((t) => mutable(t, decision.mute));
    for (const t of toMute) {
      calls.push({ op: 'mutePublishedTrack', trackSid: t.sid, source: t.source });
    }
    if (toMute.length > 0) {
      before['muted'] = toMute.map((t) => `${t.source} ${t.sid}: no`);
      after['muted'] = toMute.map((t) => `${t.source} ${t.sid}: yes`);
      changedFields.push('muted');
    }
    const fields = differingFields(current, decision.wanted);
    if (fields.length > 0) {
      calls.push({
        op: 'updateParticipant',
        permission: mergedPermission(current, decision.wanted),
      });
      for (const f of fields) {
        before[f] = toJson(current[f]);
        after[f] = toJson(decision.wanted[f]);
      }
      changedFields.push(...fields);
    }
  }
  if (calls.length === 0) return undefined;

  const payload: ModerationPayload = {
    room: input.room,
    identity: p.identity,
    sid: p.sid,
    rule: rule.name,
    cause,
    effects: decision.effects,
    enforce: input.enforce,
    calls,
  };
  const change: ResourceChange = {
    address: input.address,
    kind: 'ModerationRule',
    name: rule.name,
    action: 'moderate',
    actionReason: decision.ruleIndex === undefined ? 'max_publishers_exceeded' : 'rule_matched',
    before,
    after,
    changedFields,
    sensitivePaths: [],
    ...(rule.source === undefined ? {} : { source: rule.source }),
    payload: payload as unknown as { [key: string]: JsonValue },
  };
  const fact: JsonValue = {
    sid: p.sid,
    permission: toJson(current),
    tracks: p.tracks.map((t) => `${t.sid}:${t.muted ? 'muted' : 'live'}`),
  };
  return { change, fact };
}
