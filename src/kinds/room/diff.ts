/**
 * The pure Room diff: one desired room (or none) against one live room (or none).
 *
 * Only what LiveKit can read back is compared, and only fields the user wrote: LiveKit stores 0 as
 * "server default" (emptyTimeout 300 s, departureTimeout 20 s, maxParticipants unlimited), so an
 * unset or 0 field never diffs. `agents`, playout delays and `syncStreams` are sent on create but
 * are not on the Room message, so they cannot be compared without a perpetual diff: they appear in
 * `after` of a create or replace and are never diffed. Ownership rules: docs/ownership.md.
 */
import { canonicalJson } from '../../core/canonical-json.ts';
import type { DiffContext, DiffOutcome } from '../../core/kind-planner.ts';
import type { LiveRoom } from '../../core/live.ts';
import type { ChangeAction, HeldChange, JsonValue, ResourceChange } from '../../core/plan.ts';
import { roomAddress, type DesiredRoom } from './desired.ts';
import { isOpenAt } from './schedule.ts';

export interface RoomDiffContext extends DiffContext {
  /** Live participants in the room (0 when absent). */
  occupied: number;
}

type Fields = { [key: string]: JsonValue };

/** The immutable fields: readable on Room, changeable only by delete + create. */
const IMMUTABLE = ['emptyTimeout', 'departureTimeout', 'maxParticipants'] as const;

export function liveRoomFields(live: LiveRoom): Fields {
  return {
    name: live.name,
    emptyTimeout: live.emptyTimeout,
    departureTimeout: live.departureTimeout,
    maxParticipants: live.maxParticipants,
    metadata: live.metadata,
  };
}

/** The CreateRoomInput the executor sends (src/adapters/livekit/port.ts), as plain JSON. */
export function roomCreatePayload(desired: DesiredRoom): Fields {
  const payload: Fields = { name: desired.name };
  if (desired.emptyTimeout !== undefined) payload['emptyTimeout'] = desired.emptyTimeout;
  if (desired.departureTimeout !== undefined)
    payload['departureTimeout'] = desired.departureTimeout;
  if (desired.maxParticipants !== undefined) payload['maxParticipants'] = desired.maxParticipants;
  if (desired.metadata !== undefined) payload['metadata'] = desired.metadata;
  if (desired.minPlayoutDelay !== undefined) payload['minPlayoutDelay'] = desired.minPlayoutDelay;
  if (desired.maxPlayoutDelay !== undefined) payload['maxPlayoutDelay'] = desired.maxPlayoutDelay;
  if (desired.syncStreams !== undefined) payload['syncStreams'] = desired.syncStreams;
  if (desired.agents !== undefined) {
    payload['agents'] = desired.agents.map((agent) =>
      agent.metadata === undefined
        ? { agentName: agent.agentName }
        : { agentName: agent.agentName, metadata: agent.metadata },
    );
  }
  return payload;
}

/** Equal as strings, or as JSON documents whatever their key order (no perpetual diff on reorder). */
export function metadataEqual(desired: string, live: string): boolean {
  if (desired === live) return true;
  try {
    return canonicalJson(JSON.parse(desired)) === canonicalJson(JSON.parse(live));
  } catch {
    return false;
  }
}

function immutableDiffs(desired: DesiredRoom, live: LiveRoom): string[] {
  return IMMUTABLE.filter((field) => {
    const wanted = desired[field];
    return wanted !== undefined && wanted !== 0 && wanted !== live[field];
  });
}

function change(
  action: ChangeAction,
  desired: DesiredRoom | undefined,
  live: LiveRoom | undefined,
  actionReason: string,
  changedFields: string[],
): ResourceChange {
  const name = desired?.name ?? live?.name ?? '';
  const payload: Fields =
    action === 'create' || action === 'replace'
      ? roomCreatePayload(desired as DesiredRoom)
      : action === 'update'
        ? { name, metadata: desired?.metadata ?? '' }
        : { name };
  const result: ResourceChange = {
    address: roomAddress(name),
    kind: 'Room',
    name,
    action,
    actionReason,
    before: live === undefined ? null : liveRoomFields(live),
    after: action === 'delete' || desired === undefined ? null : roomCreatePayload(desired),
    changedFields,
    sensitivePaths: [],
    payload,
  };
  if (desired !== undefined) result.source = desired.source;
  return result;
}

function hold(name: string, action: ChangeAction, reason: string): HeldChange {
  return { address: roomAddress(name), kind: 'Room', name, action, reason };
}

function people(count: number): string {
  return count === 1 ? '1 participant' : `${count} participants`;
}

const NOT_OWNED =
  'the room exists but livekit-gitops did not create it (a client or another tool did), so it is left as is';

/** The room should exist now and does: update metadata in place, or replace for immutable fields. */
function diffExisting(desired: DesiredRoom, live: LiveRoom, ctx: RoomDiffContext): DiffOutcome {
  const immutable = immutableDiffs(desired, live);
  const metadataChanged =
    desired.metadata !== undefined && !metadataEqual(desired.metadata, live.metadata);
  if (immutable.length === 0 && !metadataChanged) return {};
  const action: ChangeAction = immutable.length > 0 ? 'replace' : 'update';
  if (!ctx.owned) return { held: hold(desired.name, action, NOT_OWNED) };
  if (action === 'update') return { change: change('update', desired, live, '', ['metadata']) };
  const fields = metadataChanged ? [...immutable, 'metadata'] : immutable;
  if (ctx.protected) {
    return {
      held: hold(
        desired.name,
        'replace',
        `protected by preventDestroy: replacing it would delete it (${immutable.join(', ')} cannot change in place)`,
      ),
    };
  }
  if (ctx.occupied > 0 && desired.lifecycle.onOccupied === 'wait') {
    return {
      held: hold(
        desired.name,
        'replace',
        `${immutable.join(', ')} cannot change in place and the room has ${people(ctx.occupied)}; lifecycle.onOccupied is wait, so it is replaced once empty (onOccupied: force replaces now)`,
      ),
    };
  }
  const outcome: DiffOutcome = {
    change: change('replace', desired, live, 'replace_because_cannot_update', fields),
  };
  if (ctx.occupied > 0) {
    outcome.warning = `${roomAddress(desired.name)}: replacing disconnects ${people(ctx.occupied)} (lifecycle.onOccupied: force)`;
  }
  return outcome;
}

/** The room exists but its schedule says it should not: delete it if ours and allowed. */
function diffClosedWindow(desired: DesiredRoom, live: LiveRoom, ctx: RoomDiffContext): DiffOutcome {
  if (!ctx.owned)
    return { held: hold(desired.name, 'delete', `schedule window closed, but ${NOT_OWNED}`) };
  if (ctx.protected) {
    return {
      held: hold(desired.name, 'delete', 'schedule window closed, but protected by preventDestroy'),
    };
  }
  if (ctx.occupied > 0 && desired.lifecycle.onOccupied === 'wait') {
    return {
      held: hold(
        desired.name,
        'delete',
        `schedule window closed, but the room has ${people(ctx.occupied)} and lifecycle.onOccupied is wait; it is deleted once empty`,
      ),
    };
  }
  return { change: change('delete', desired, live, 'delete_because_schedule_window_closed', []) };
}

/** The spec was removed: an owned room is deleted only with prune, never when protected or occupied. */
function diffRemoved(live: LiveRoom, ctx: RoomDiffContext): DiffOutcome {
  if (!ctx.owned) return {};
  if (!ctx.prune)
    return {
      held: hold(live.name, 'delete', 'spec removed; prune is off (use --prune to delete it)'),
    };
  if (ctx.protected)
    return { held: hold(live.name, 'delete', 'protected by preventDestroy in state') };
  if (ctx.occupied > 0) {
    // The spec (and its onOccupied) is gone, so the safe default applies: wait.
    return {
      held: hold(
        live.name,
        'delete',
        `spec removed, but the room has ${people(ctx.occupied)}; it is deleted once empty`,
      ),
    };
  }
  return { change: change('delete', undefined, live, 'delete_because_no_resource_config', []) };
}

export function diffRoom(
  desired: DesiredRoom | undefined,
  live: LiveRoom | undefined,
  ctx: RoomDiffContext,
): DiffOutcome {
  if (desired === undefined) return live === undefined ? {} : diffRemoved(live, ctx);
  const shouldExist = isOpenAt(desired.schedule, ctx.now);
  if (!shouldExist) return live === undefined ? {} : diffClosedWindow(desired, live, ctx);
  if (live === undefined) {
    const scheduled = desired.schedule !== undefined && desired.schedule.length > 0;
    const reason = scheduled ? 'create_because_schedule_window_open' : '';
    return { change: change('create', desired, undefined, reason, []) };
  }
  return diffExisting(desired, live, ctx);
}
