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

/** One ListRooms call: every decision about rooms is made from it. */
export async function observe(port: LiveKitPort): Promise<Observed> {
  return { rooms: await port.listRooms() };
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
}

export interface PlanOutput {
  plan: Plan;
  /** The inventory settled against the observation (what apply writes back before executing). */
  state: StateDocument;
}

export function planFrom(input: PlanInput): PlanOutput {
  const declared = new Set(input.project.rooms.map((r) => r.name));
  const state = settleRoomInventory(input.state, input.observed.rooms, declared);
  const plan = assembleRoomPlan({
    rooms: input.project.rooms,
    live: input.observed.rooms,
    state,
    now: input.now,
    ...(input.at ? { evaluatedAt: input.at } : {}),
    prune: input.prune,
    toolVersion: input.toolVersion,
    specHash: input.project.specHash,
  });
  return { plan, state };
}
