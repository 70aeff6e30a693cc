/**
 * Observe LiveKit and plan: the one path that `plan`, `apply` and the daemon share. Both iterate
 * the kind registry (src/kinds/index.ts): every kind observes its part, settles its part of the
 * state and binds its planner; no kind is named here.
 */
import type { BoundKind } from '../core/kind-planner.ts';
import type { StateDocument } from '../core/inventory.ts';
import type { Plan } from '../core/plan.ts';
import { assemblePlan } from '../core/plan-assembly.ts';
import {
  closeStateLossGuard,
  stateLossGuardOpen,
  stateLossWarnings,
  type StateLossReport,
} from '../core/state-loss.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import { KIND_MODULES } from '../kinds/index.ts';
import type {
  Env,
  KindModule,
  ObservationPart,
  Observed,
  PlanExtras,
  PlanStepInput,
} from '../kinds/kind.ts';
import type { Secrets } from '../spec/secrets.ts';
import type { Project } from './project.ts';

export type { Observed } from '../kinds/kind.ts';

async function observeWith(
  modules: readonly KindModule[],
  run: (m: KindModule) => Promise<ObservationPart | undefined> | undefined,
  into: Observed,
): Promise<void> {
  const parts = await Promise.all(modules.map(async (m) => run(m)));
  for (const part of parts) part?.(into);
}

/**
 * Every kind observes what it needs, concurrently; kinds that read the others' observation (the
 * participants of the rooms a rule selects) run after. With a scope (the daemon reconciling the
 * rooms a webhook named), kinds observe only those rooms.
 */
export async function observe(
  port: LiveKitPort,
  scope: ReadonlySet<string> | undefined,
  project: Pick<Project, 'specs'> | undefined,
  /** The state read for this plan: kinds look up what they own (recording probes its egresses). */
  state: StateDocument | undefined,
  /** The environment the boundary hands down (recording knobs). */
  env: Env,
): Promise<Observed> {
  const input = { port, scope, specs: project?.specs, state, env, now: new Date() };
  const observed: Observed = { rooms: [] };
  const first = KIND_MODULES.filter((m) => !m.observesAfterOthers);
  const after = KIND_MODULES.filter((m) => m.observesAfterOthers);
  await observeWith(first, (m) => m.observe?.(input, observed), observed);
  await observeWith(after, (m) => m.observe?.(input, observed), observed);
  return observed;
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
  /** The environment and secret resolver the boundary hands down. */
  secrets: Secrets;
}

export interface PlanOutput extends PlanExtras {
  /** While the state-loss guard is open: what settling adopted (src/core/state-loss.ts). */
  stateLoss?: StateLossReport;
  plan: Plan;
  /** The inventory settled against the observation (apply writes what settling changed). */
  state: StateDocument;
  /** The state the plan was made from. */
  base: StateDocument;
}

/** Each kind in registry order settles its part of the state, then binds its planner. Pure. */
export function planFrom(input: PlanInput): PlanOutput {
  const step: Omit<PlanStepInput, 'state'> = {
    specs: input.project.specs,
    declaredRooms: input.project.rooms,
    observed: input.observed,
    at: input.at ?? input.now,
    scope: input.scope,
    secrets: input.secrets,
    stateLossGuard: stateLossGuardOpen(input.state),
  };
  let state = input.state;
  const extras: PlanExtras = {};
  const kinds: BoundKind[] = [];
  for (const m of KIND_MODULES) {
    const settled = m.settle?.({ ...step, state });
    if (settled) {
      state = settled.state;
      Object.assign(extras, settled.extras);
    }
    const bound = m.plan?.({ ...step, state });
    if (bound) kinds.push(bound);
  }
  const guard = closeStateLossGuard(input.state, state, input.scope !== undefined, input.now);
  if (guard) state = guard.state;
  const plan = assemblePlan({
    kinds,
    state,
    now: input.now,
    ...(input.at ? { evaluatedAt: input.at } : {}),
    prune: input.prune,
    toolVersion: input.toolVersion,
    specHash: input.project.specHash,
  });
  if (!guard) return { plan, state, base: input.state, ...extras };
  plan.warnings.push(...stateLossWarnings(guard.report));
  return { plan, state, base: input.state, ...extras, stateLoss: guard.report };
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
    input.secrets.env,
  );
  const first = planFrom({ ...input, observed });
  const refined = await recount(input.port, first.plan, observed);
  if (!refined) return { ...first, observed };
  return { ...planFrom({ ...input, observed: refined }), observed: refined };
}

/**
 * ListRooms' participant counts lag behind (with Redis the stored room is refreshed periodically),
 * so decisions made on them that matter are confirmed exactly by the kinds that made them (never
 * disconnect people believed gone; never start or stop recordings on stale counts). Returns the
 * observation with exact counts where needed, or undefined when the first plan needs no
 * confirmation; callers then plan again with it.
 */
export async function recount(
  port: LiveKitPort,
  plan: Plan,
  observed: Observed,
): Promise<Observed | undefined> {
  const parts = await Promise.all(KIND_MODULES.map(async (m) => m.recount?.(port, plan, observed)));
  if (parts.every((p) => p === undefined)) return undefined;
  const refined: Observed = { ...observed };
  for (const part of parts) part?.(refined);
  return refined;
}
