/**
 * Observe LiveKit and plan: the one path that `plan`, `apply` and the daemon share.
 */
import type { StateDocument } from '../core/inventory.ts';
import type { LiveRoom } from '../core/live.ts';
import type { Plan } from '../core/plan.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import { assembleRoomPlan } from '../kinds/room/planner.ts';
import { settleRoomInventory } from '../kinds/room/settle.ts';
import type { Project } from './project.ts';

export interface Observed {
  rooms: LiveRoom[];
}

/**
 * One ListRooms call: every decision about rooms is made from it. With a scope (the daemon
 * reconciling the rooms a webhook named), only those rooms are listed.
 */
export async function observe(port: LiveKitPort, scope?: ReadonlySet<string>): Promise<Observed> {
  return { rooms: await port.listRooms(scope ? [...scope] : undefined) };
}

export interface PlanInput {
  project: Pick<Project, 'rooms' | 'specHash'>;
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
}

export function planFrom(input: PlanInput): PlanOutput {
  const { scope } = input;
  const declared = new Set(input.project.rooms.map((r) => r.name));
  const state = settleRoomInventory(input.state, input.observed.rooms, declared, scope);
  const inScope = <T extends { name: string }>(list: readonly T[]): readonly T[] =>
    scope ? list.filter((x) => scope.has(x.name)) : list;
  const plan = assembleRoomPlan({
    rooms: inScope(input.project.rooms),
    live: inScope(input.observed.rooms),
    state,
    now: input.now,
    ...(input.at ? { evaluatedAt: input.at } : {}),
    prune: input.prune,
    toolVersion: input.toolVersion,
    specHash: input.project.specHash,
  });
  return { plan, state };
}
