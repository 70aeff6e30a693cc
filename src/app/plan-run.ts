/**
 * Observe LiveKit and plan: the one path that `plan`, `apply` and the daemon share.
 */
import { bindKind, type BoundKind } from '../core/kind-planner.ts';
import type { StateDocument } from '../core/inventory.ts';
import type { LiveParticipant, LiveRoom } from '../core/live.ts';
import type { Plan } from '../core/plan.ts';
import { assemblePlan } from '../core/plan-assembly.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import { moderationSpecsOf } from '../kinds/moderation-rule/from-spec.ts';
import { observeParticipants } from '../kinds/moderation-rule/observe.ts';
import { bindModeration, selectedRooms } from '../kinds/moderation-rule/planner.ts';
import { settleModeration } from '../kinds/moderation-rule/settle.ts';
import {
  confirmRecordingCounts,
  observeRecordingFor,
  planRecordingStep,
} from '../kinds/recording-policy/plan-hook.ts';
import type { RecordingEvent, RecordingObservation } from '../kinds/recording-policy/settle.ts';
import { createRoomPlanner } from '../kinds/room/planner.ts';
import { settleRoomInventory } from '../kinds/room/settle.ts';
import {
  observePersistent,
  planPersistentStep,
  type PersistentObservation,
} from '../kinds/sip-common/plan-step.ts';
import type { Project } from './project.ts';

export interface Observed {
  rooms: LiveRoom[];
  /** Participants of the live rooms a ModerationRule selects (absent: none were listed). */
  participants?: Map<string, LiveParticipant[]>;
  /**
   * Participants per room where it was counted exactly. ListRooms' numParticipants can lag behind
   * (with Redis the stored room is refreshed periodically), so decisions that would disconnect
   * people (replace, delete) are re-checked with ListParticipants: see `planLive`.
   */
  occupancy?: Map<string, number>;
  /** Active egress (every page), owned egresses that ended, lost ones (absent: no recording policy). */
  egress?: RecordingObservation;
  /** Ingress and SIP objects, listed on full observations only (absent: none declared or owned). */
  persistent?: PersistentObservation;
}

/**
 * One ListRooms call: every decision about rooms is made from it. With a scope (the daemon
 * reconciling the rooms a webhook named), only those rooms are listed. With the project's specs,
 * the participants of the rooms its ModerationRules select are listed too (bounded concurrency).
 */
export async function observe(
  port: LiveKitPort,
  scope?: ReadonlySet<string>,
  project?: Pick<Project, 'specs'>,
  /** The state read for this plan: recording looks up its owned egresses and probes them. */
  state?: StateDocument,
): Promise<Observed> {
  const [rooms, egress, persistent] = await Promise.all([
    port.listRooms(scope ? [...scope] : undefined),
    observeRecordingFor(port, { scope, specs: project?.specs, state }),
    // Persistent objects are not room-scoped: a webhook-scoped pass leaves them to full resyncs.
    scope === undefined ? observePersistent(port, project?.specs ?? [], state) : undefined,
  ]);
  const observed: Observed = egress ? { rooms, egress } : { rooms };
  if (persistent) observed.persistent = persistent;
  const moderation = project ? moderationSpecsOf(project.specs) : undefined;
  if (moderation === undefined || moderation.rules.length === 0) return observed;
  const selected = selectedRooms(
    moderation.rules,
    moderation.declaredLabels,
    rooms.map((r) => r.name),
  );
  return { ...observed, participants: await observeParticipants(port, selected) };
}

export interface PlanInput {
  project: Pick<Project, 'rooms' | 'specHash'> & Partial<Pick<Project, 'specs'>>;
  observed: Observed;
  state: StateDocument;
  now: Date;
  /** `--at`: evaluate schedules at another instant. */
  at?: Date | undefined;
  prune: boolean;
  toolVersion: string;
  /** Plan only these rooms (by name); the observation must cover at least them. */
  scope?: ReadonlySet<string> | undefined;
}

export interface PlanOutput {
  plan: Plan;
  /** The inventory settled against the observation (what apply writes back before executing). */
  state: StateDocument;
  /** Recording adoptions, failures and lost egresses found while settling (for status and logs). */
  recordingEvents?: RecordingEvent[];
}

export function planFrom(input: PlanInput): PlanOutput {
  const { scope } = input;
  const declared = new Set(input.project.rooms.map((r) => r.name));
  const inScope = <T extends { name: string }>(list: readonly T[]): readonly T[] =>
    scope ? list.filter((x) => scope.has(x.name)) : list;
  let state = settleRoomInventory(input.state, input.observed.rooms, declared, scope);
  const kinds: BoundKind[] = [
    bindKind(
      createRoomPlanner({ occupancy: occupancyOf(input.observed) }),
      inScope(input.project.rooms),
      inScope(input.observed.rooms),
    ),
  ];
  const participants = input.observed.participants;
  if (participants !== undefined && input.project.specs !== undefined) {
    const liveNames = new Set(input.observed.rooms.map((r) => r.name));
    state = settleModeration(state, liveNames, participants, scope);
    const scoped = scope
      ? new Map([...participants].filter(([room]) => scope.has(room)))
      : participants;
    kinds.push(bindModeration({ ...moderationSpecsOf(input.project.specs), participants: scoped }));
  }
  let recordingEvents: RecordingEvent[] = [];
  if (input.observed.egress !== undefined) {
    const step = planRecordingStep({
      specs: input.project.specs ?? [],
      declaredRooms: input.project.rooms,
      liveRooms: input.observed.rooms,
      observation: input.observed.egress,
      state,
      now: input.at ?? input.now,
      scope,
    });
    state = step.state;
    recordingEvents = step.events;
    kinds.push(step.kind);
  }
  if (input.observed.persistent !== undefined && scope === undefined) {
    const step = planPersistentStep({
      specs: input.project.specs ?? [],
      observation: input.observed.persistent,
      state,
      env: process.env,
    });
    state = step.state;
    kinds.push(...step.kinds);
  }
  const plan = assemblePlan({
    kinds,
    state,
    now: input.now,
    ...(input.at ? { evaluatedAt: input.at } : {}),
    prune: input.prune,
    toolVersion: input.toolVersion,
    specHash: input.project.specHash,
  });
  return recordingEvents.length > 0 ? { plan, state, recordingEvents } : { plan, state };
}

function occupancyOf(observed: Observed): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [room, list] of observed.participants ?? []) counts.set(room, list.length);
  for (const [room, n] of observed.occupancy ?? []) counts.set(room, n);
  return counts;
}

export interface LivePlanInput extends Omit<PlanInput, 'observed'> {
  port: LiveKitPort;
}

export interface LivePlanOutput extends PlanOutput {
  observed: Observed;
}

/**
 * Observe, plan, and where a room change would disconnect people (replace, delete) or was held
 * back for them, count the room's participants exactly and plan again. One ListRooms call, plus one
 * ListParticipants per such room.
 */
export async function planLive(input: LivePlanInput): Promise<LivePlanOutput> {
  const observed = await observe(
    input.port,
    input.scope,
    input.project.specs ? { specs: input.project.specs } : undefined,
    input.state,
  );
  const first = planFrom({ ...input, observed });
  const refined = await recount(input.port, first.plan, observed);
  if (!refined) return { ...first, observed };
  return { ...planFrom({ ...input, observed: refined }), observed: refined };
}

/**
 * ListRooms' participant counts lag behind (with Redis the stored room is refreshed periodically),
 * so decisions made on them that matter are confirmed with ListParticipants: replaces and deletes
 * (never disconnect people believed gone) and recording starts and stops. Returns the observation
 * with exact counts where needed, or undefined when the first plan needs no confirmation; callers
 * then plan again with it.
 */
export async function recount(
  port: LiveKitPort,
  plan: Plan,
  observed: Observed,
): Promise<Observed | undefined> {
  const [occupancy, egress] = await Promise.all([
    refineOccupancy(port, plan, observed),
    observed.egress ? confirmRecordingCounts(port, plan, observed.egress) : undefined,
  ]);
  if (!occupancy && !egress) return undefined;
  return { ...observed, ...(occupancy ?? {}), ...(egress ? { egress } : {}) };
}

/**
 * Rooms where the plan would disconnect people (replace, delete) or held a change back for them
 * are counted exactly with ListParticipants; returns the observation with those counts, or
 * undefined when no room needs it. Callers plan again with the result.
 */
export async function refineOccupancy(
  port: LiveKitPort,
  plan: Plan,
  observed: Observed,
): Promise<Observed | undefined> {
  const sensitive = new Set<string>();
  for (const c of plan.changes) {
    if (c.kind === 'Room' && (c.action === 'replace' || c.action === 'delete'))
      sensitive.add(c.name);
  }
  for (const h of plan.held) if (h.kind === 'Room') sensitive.add(h.name);
  if (sensitive.size === 0) return undefined;
  const occupancy = new Map(observed.occupancy ?? []);
  await Promise.all(
    [...sensitive].map(async (room) => {
      occupancy.set(room, (await port.listParticipants(room)).length);
    }),
  );
  return { ...observed, occupancy };
}
