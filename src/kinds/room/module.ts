/**
 * Room in the registry: one ListRooms call is the observation every kind plans against; rooms
 * where a replace or delete would disconnect people are recounted exactly before acting.
 */
import { bindKind } from '../../core/kind-planner.ts';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { Plan } from '../../core/plan.ts';
import type { KindModule, ObservationPart, Observed } from '../kind.ts';
import { executeRoomChange } from './apply.ts';
import { createRoomPlanner } from './planner.ts';
import { settleRoomInventory } from './settle.ts';

/** Participants counted per room: exact counts first, then the moderation listing, else none. */
function occupancyOf(observed: Observed): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [room, list] of observed.participants ?? []) counts.set(room, list.length);
  for (const [room, n] of observed.occupancy ?? []) counts.set(room, n);
  return counts;
}

/**
 * Rooms where the plan would disconnect people (replace, delete) or held a change back for them
 * are counted exactly with ListParticipants; undefined when no room needs it.
 */
async function refineOccupancy(
  port: LiveKitPort,
  plan: Plan,
  observed: Observed,
): Promise<ObservationPart | undefined> {
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
  return (o) => (o.occupancy = occupancy);
}

function inScope<T extends { name: string }>(
  list: readonly T[],
  scope: ReadonlySet<string> | undefined,
): readonly T[] {
  return scope ? list.filter((x) => scope.has(x.name)) : list;
}

export const roomModule: KindModule = {
  kind: 'Room',
  docs: 'docs/specs.md',
  async observe({ port, scope }) {
    const rooms = await port.listRooms(scope ? [...scope] : undefined);
    return (o) => (o.rooms = rooms);
  },
  recount: refineOccupancy,
  settle: (i) => ({
    state: settleRoomInventory(
      i.state,
      i.observed.rooms,
      new Set(i.declaredRooms.map((r) => r.name)),
      i.scope,
    ),
  }),
  plan: (i) =>
    bindKind(
      createRoomPlanner({ occupancy: occupancyOf(i.observed) }),
      inScope(i.declaredRooms, i.scope),
      inScope(i.observed.rooms, i.scope),
    ),
  execute: (change, { port, now }) => executeRoomChange(change, port, now),
};
