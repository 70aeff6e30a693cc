/**
 * Decides, for one ModerationRule and one room, what each participant should be: the first rule
 * entry whose matcher matches decides for it, then `limits.maxPublishers` takes publishing away from
 * publishers beyond the first N by join time. Pure; the planner turns decisions into calls.
 */
import type { LiveParticipant, TrackSource } from '../../core/live.ts';
import type { SourceLocation } from '../../core/plan.ts';
import { permissionsOfGrants } from '../role/grants.ts';
import type { RoleSpec } from '../role/schema.ts';
import { moderatedByDefault, participantMatcher } from './match.ts';
import { NO_PERMISSION, wantedFromSpec, type WantedPermissions } from './permissions.ts';
import type { ModerationRuleSpec } from './schema.ts';

export interface ModerationRuleDef {
  name: string;
  spec: ModerationRuleSpec;
  source?: SourceLocation;
}

export type Effect = 'remove' | 'permissions' | 'role' | 'mute' | 'limit';

export interface Decision {
  participant: LiveParticipant;
  /** Index in `spec.rules` of the entry that matched; absent when only the limit acts. */
  ruleIndex?: number;
  effects: Effect[];
  remove?: { reason?: string };
  wanted: WantedPermissions;
  mute: TrackSource[];
}

/** Compiled once per plan: matchers and Role lookups. */
export interface CompiledRule {
  def: ModerationRuleDef;
  entries: {
    matches: (p: LiveParticipant) => boolean;
    decide: (p: LiveParticipant) => Omit<Decision, 'participant'>;
  }[];
  maxPublishers: number | undefined;
}

export function compileRule(
  def: ModerationRuleDef,
  roles: ReadonlyMap<string, RoleSpec>,
): CompiledRule {
  const entries = (def.spec.rules ?? []).map((entry, index) => {
    const matches = participantMatcher(entry.participants);
    const decide = (): Omit<Decision, 'participant'> => {
      if (entry.remove === true) {
        const remove = entry.reason === undefined ? {} : { reason: entry.reason };
        return { ruleIndex: index, effects: ['remove'], remove, wanted: {}, mute: [] };
      }
      const effects: Effect[] = [];
      let wanted: WantedPermissions = {};
      if (entry.role !== undefined) {
        const role = roles.get(entry.role);
        // validate rejects an unknown role; a plan never gets here with one.
        if (role !== undefined) wanted = { ...permissionsOfGrants(role.grants) };
        effects.push('role');
      }
      if (entry.permissions !== undefined) {
        wanted = { ...wanted, ...wantedFromSpec(entry.permissions) };
        effects.push('permissions');
      }
      const mute = [...(entry.mute ?? [])] as TrackSource[];
      if (mute.length > 0) effects.push('mute');
      return { ruleIndex: index, effects, wanted, mute };
    };
    return { matches, decide };
  });
  return { def, entries, maxPublishers: def.spec.limits?.maxPublishers };
}

function byJoinTime(a: LiveParticipant, b: LiveParticipant): number {
  return a.joinedAtMs - b.joinedAtMs || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0);
}

function isPublishing(p: LiveParticipant): boolean {
  return p.isPublisher || p.tracks.some((t) => t.type === 'audio' || t.type === 'video');
}

/**
 * Decisions for the participants of one room that this rule matches or limits. Participants in
 * `claimed` (decided by a ModerationRule earlier in name order) are left to that rule.
 */
export function decideRoom(
  rule: CompiledRule,
  participants: readonly LiveParticipant[],
  claimed: ReadonlySet<string> = new Set(),
): Decision[] {
  const present = participants
    .filter((p) => p.state !== 'disconnected' && !claimed.has(p.identity))
    .sort(byJoinTime);
  const decisions = new Map<string, Decision>();
  for (const p of present) {
    const entry = rule.entries.find((e) => e.matches(p));
    if (entry) decisions.set(p.identity, { participant: p, ...entry.decide(p) });
  }
  if (rule.maxPublishers !== undefined) applyLimit(rule.maxPublishers, present, decisions);
  return present.flatMap((p) => {
    const d = decisions.get(p.identity);
    return d === undefined ? [] : [d];
  });
}

/**
 * Publishers beyond the first `max` by join time lose canPublish. While the slots are full, no
 * rule gives publishing back to someone who does not have it, so a limited participant whose
 * tracks the server unpublished is not re-granted on the next reconcile (no flapping).
 */
function applyLimit(
  max: number,
  present: readonly LiveParticipant[],
  decisions: Map<string, Decision>,
): void {
  const eligible = present.filter((p) => {
    const d = decisions.get(p.identity);
    if (d?.remove !== undefined) return false;
    return d !== undefined || moderatedByDefault(p.kind);
  });
  const publishing = eligible.filter(isPublishing);
  const full = publishing.length >= max;
  publishing.slice(max).forEach((p) => {
    const d = decisions.get(p.identity) ?? { participant: p, effects: [], wanted: {}, mute: [] };
    d.wanted = { ...d.wanted, canPublish: false };
    if (!d.effects.includes('limit')) d.effects.push('limit');
    decisions.set(p.identity, d);
  });
  if (!full) return;
  for (const p of eligible) {
    if (isPublishing(p)) continue;
    const d = decisions.get(p.identity);
    const has = (p.permission ?? NO_PERMISSION).canPublish;
    if (d?.wanted.canPublish === true && !has) {
      const rest = { ...d.wanted };
      delete rest.canPublish;
      d.wanted = rest;
    }
  }
}
