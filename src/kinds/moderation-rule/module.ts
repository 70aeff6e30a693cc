/**
 * ModerationRule in the registry: after ListRooms, the participants of the rooms a rule selects
 * are listed; settled `onJoin` bookkeeping and one `moderate` change per participant to act on.
 */
import type { LiveParticipant } from '../../core/live.ts';
import { roomInPayload, type KindModule, type PlanStepInput } from '../kind.ts';
import { executeModerationChange } from './apply.ts';
import { moderationSpecsOf } from './from-spec.ts';
import { observeParticipants } from './observe.ts';
import { bindModeration, MODERATION_KIND, selectedRooms } from './planner.ts';
import { settleModeration } from './settle.ts';
import { moderationStatusFolds } from './status.ts';

declare module '../kind.ts' {
  interface Observed {
    /** Participants of the live rooms a ModerationRule selects (absent: none were listed). */
    participants?: Map<string, LiveParticipant[]>;
  }
}

/** Moderation plans only with the project's specs and the participants listed for them. */
function participantsOf(i: PlanStepInput): Map<string, LiveParticipant[]> | undefined {
  return i.specs === undefined ? undefined : i.observed.participants;
}

export const moderationModule: KindModule = {
  kind: MODERATION_KIND,
  docs: 'docs/moderation.md',
  notImportable: 'a rule is policy over participants; LiveKit holds no object to read it back from',
  dependsOn: ['Room'],
  // Named after the policy or rule; the room is in the payload.
  roomOf: (change) => roomInPayload(change.payload),
  status: moderationStatusFolds,
  observesAfterOthers: true,
  async observe({ port, specs }, sofar) {
    if (specs === undefined) return undefined;
    const moderation = moderationSpecsOf(specs);
    if (moderation.rules.length === 0) return undefined;
    const selected = selectedRooms(
      moderation.rules,
      moderation.declaredLabels,
      sofar.rooms.map((r) => r.name),
    );
    const participants = await observeParticipants(port, selected);
    return (o) => (o.participants = participants);
  },
  settle(i) {
    const participants = participantsOf(i);
    if (participants === undefined) return undefined;
    const liveNames = new Set(i.observed.rooms.map((r) => r.name));
    return { state: settleModeration(i.state, liveNames, participants, i.scope) };
  },
  plan(i) {
    const participants = participantsOf(i);
    if (participants === undefined || i.specs === undefined) return undefined;
    const scope = i.scope;
    const scoped = scope
      ? new Map([...participants].filter(([room]) => scope.has(room)))
      : participants;
    return bindModeration({ ...moderationSpecsOf(i.specs), participants: scoped });
  },
  execute: (change, { port, now }) => executeModerationChange(change, port, now),
};
