/**
 * Room as the first KindPlanner, and the room-only plan entry point the CLI calls.
 */
import { bindKind, type KindPlanner } from '../../core/kind-planner.ts';
import type { LiveRoom } from '../../core/live.ts';
import type { Plan } from '../../core/plan.ts';
import { assemblePlan, type AssemblyInput } from '../../core/plan-assembly.ts';
import { roomAddress, type DesiredRoom } from './desired.ts';
import { diffRoom } from './diff.ts';

export interface RoomPlannerOptions {
  /** Live participants per room name (from listParticipants); falls back to Room.numParticipants. */
  occupancy?: ReadonlyMap<string, number>;
}

export function createRoomPlanner(
  options: RoomPlannerOptions = {},
): KindPlanner<DesiredRoom, LiveRoom> {
  const occupied = (live: LiveRoom | undefined): number =>
    live === undefined ? 0 : (options.occupancy?.get(live.name) ?? live.numParticipants);
  return {
    kind: 'Room',
    desiredKey: (desired) => desired.name,
    liveKey: (live) => live.name,
    address: roomAddress,
    serverId: (live) => (live.sid === '' ? undefined : live.sid),
    preventDestroy: (desired) => desired.lifecycle.preventDestroy,
    diff: (desired, live, ctx) => diffRoom(desired, live, { ...ctx, occupied: occupied(live) }),
    // Occupancy only as empty/occupied: a join or leave that changes no decision does not make a
    // saved plan stale, but a room becoming occupied (replace would disconnect people) does.
    liveFingerprint: (live) => ({
      sid: live.sid,
      emptyTimeout: live.emptyTimeout,
      departureTimeout: live.departureTimeout,
      maxParticipants: live.maxParticipants,
      metadata: live.metadata,
      occupied: occupied(live) > 0,
    }),
  };
}

/** The plan-wide inputs of assemblePlan, with the rooms in place of the bound kinds. */
export interface RoomPlanInput extends Omit<AssemblyInput, 'kinds'> {
  rooms: readonly DesiredRoom[];
  live: readonly LiveRoom[];
  occupancy?: ReadonlyMap<string, number>;
}

export function assembleRoomPlan(input: RoomPlanInput): Plan {
  const { rooms, live, occupancy, ...rest } = input;
  const planner = createRoomPlanner(occupancy === undefined ? {} : { occupancy });
  return assemblePlan({ ...rest, kinds: [bindKind(planner, rooms, live)] });
}
