/**
 * ModerationRule as a plan kind: for every live room a rule selects, the participants whose
 * permissions, tracks or presence differ from what the rule decides get one `moderate` change
 * (`moderation.<rule>.<room>.<identity>`) holding the exact calls. A participant that already
 * matches gets none, so a converged room plans nothing. Pure.
 */
import { emptyKindResult, type BoundKind, type KindResult } from '../../core/kind-planner.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveParticipant } from '../../core/live.ts';
import type { RoleSpec } from '../role/schema.ts';
import { buildChange } from './change.ts';
import { compileRule, decideRoom, type ModerationRuleDef } from './decide.ts';
import { roomSelector } from './match.ts';

export const MODERATION_KIND = 'ModerationRule';

export interface ModerationPlanInput {
  rules: readonly ModerationRuleDef[];
  roles: ReadonlyMap<string, RoleSpec>;
  /** Labels of declared Room specs, for `rooms.labels` selectors. */
  declaredLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Live room name → its participants (only rooms some rule selects need to be here). */
  participants: ReadonlyMap<string, readonly LiveParticipant[]>;
}

export function moderationAddress(rule: string, room: string, identity: string): string {
  return `moderation.${rule}.${room}.${identity}`;
}

/** The live rooms at least one rule selects: the rooms whose participants must be listed. */
export function selectedRooms(
  rules: readonly ModerationRuleDef[],
  declaredLabels: ModerationPlanInput['declaredLabels'],
  liveRooms: readonly string[],
): string[] {
  const selectors = rules.map((r) => roomSelector(r.spec.rooms, declaredLabels));
  return liveRooms.filter((room) => selectors.some((selects) => selects(room)));
}

export function bindModeration(input: ModerationPlanInput): BoundKind {
  return { kind: MODERATION_KIND, plan: (state) => planModeration(input, state) };
}

export function planModeration(input: ModerationPlanInput, state: StateDocument): KindResult {
  const result = emptyKindResult();
  // Name order decides which ModerationRule speaks for a participant two of them select, so two
  // rules can never undo each other on every reconcile.
  const rules = [...input.rules]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((def) => ({
      compiled: compileRule(def, input.roles),
      selects: roomSelector(def.spec.rooms, input.declaredLabels),
    }));
  const rooms = [...input.participants.keys()].sort();
  for (const room of rooms) {
    const participants = input.participants.get(room) ?? [];
    const claimed = new Set<string>();
    for (const { compiled, selects } of rules) {
      if (!selects(room)) continue;
      for (const decision of decideRoom(compiled, participants, claimed)) {
        claimed.add(decision.participant.identity);
        const address = moderationAddress(compiled.def.name, room, decision.participant.identity);
        const enforce = compiled.def.spec.enforce ?? 'always';
        if (enforce === 'onJoin' && state.moderated?.[address]?.sid === decision.participant.sid) {
          continue;
        }
        const built = buildChange({ address, room, enforce, rule: compiled.def, decision });
        if (built === undefined) continue;
        result.changes.push(built.change);
        result.liveFacts[address] = built.fact;
      }
    }
  }
  return result;
}
