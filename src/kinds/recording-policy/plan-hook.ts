/**
 * The recording kind's parts of the shared plan path (see module.ts): whether to observe egress at
 * all, the observation, the planner's input, and the recount of lagging participant counts.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveRoom } from '../../core/live.ts';
import type { Plan } from '../../core/plan.ts';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { LoadedRecordingPolicy, LoadedSpec } from '../../spec/types.ts';
import type { DesiredRoom } from '../room/desired.ts';
import { RECORDING_KIND, type DesiredRecordingPolicy } from './desired.ts';
import { desiredRecordingPolicyFromSpec } from './from-spec.ts';
import { countParticipants, observeRecording } from './observe.ts';
import type { RecordingOptions } from './options.ts';
import type { RecordingPlanInput } from './planner.ts';
import { isRecordingAddress, type RecordingObservation } from './settle.ts';

const cache = new WeakMap<readonly LoadedSpec[], DesiredRecordingPolicy[]>();

export function recordingPoliciesOf(specs: readonly LoadedSpec[]): DesiredRecordingPolicy[] {
  let list = cache.get(specs);
  if (!list) {
    list = specs
      .filter((s): s is LoadedRecordingPolicy => s.kind === RECORDING_KIND)
      .map(desiredRecordingPolicyFromSpec);
    cache.set(specs, list);
  }
  return list;
}

/** Egress is observed when a policy exists, or state still holds a recording (policy removed). */
export function needsRecording(
  specs: readonly LoadedSpec[] | undefined,
  state: StateDocument | undefined,
): boolean {
  if (specs?.some((s) => s.kind === RECORDING_KIND)) return true;
  if (!state) return false;
  return (
    Object.keys(state.owned).some(isRecordingAddress) ||
    Object.keys(state.pending).some(isRecordingAddress)
  );
}

export async function observeRecordingFor(
  port: LiveKitPort,
  input: {
    scope: ReadonlySet<string> | undefined;
    specs: readonly LoadedSpec[] | undefined;
    state: StateDocument | undefined;
    now: Date;
    options: RecordingOptions;
  },
): Promise<RecordingObservation | undefined> {
  if (!needsRecording(input.specs, input.state)) return undefined;
  return observeRecording(port, {
    scope: input.scope,
    state: input.state,
    now: input.now,
    options: input.options,
  });
}

/** The planner's input: policies, the rooms in scope with exact counts where they were taken. */
export function recordingPlanInput(input: {
  specs: readonly LoadedSpec[];
  declaredRooms: readonly DesiredRoom[];
  liveRooms: readonly LiveRoom[];
  observation: RecordingObservation;
  scope: ReadonlySet<string> | undefined;
  options: RecordingOptions;
}): RecordingPlanInput {
  const scope = input.scope;
  const counts = input.observation.counts;
  const scoped = scope ? input.liveRooms.filter((r) => scope.has(r.name)) : input.liveRooms;
  return {
    policies: recordingPoliciesOf(input.specs),
    rooms: counts
      ? scoped.map((r) => {
          const c = counts.get(r.name);
          return c ? { ...r, numParticipants: c.participants, numPublishers: c.publishers } : r;
        })
      : scoped,
    labelsOf: new Map(input.declaredRooms.map((r) => [r.name, r.labels])),
    active: input.observation.active,
    options: input.options,
    scope,
  };
}

/**
 * ListRooms' participant counts lag behind with a Redis-backed server (measured: seconds), so a
 * full resync could stop a recording whose room is full, or start one in a room just emptied.
 * The rooms of recording starts and of stops for "no longer holds" are counted exactly
 * (ListParticipants); returns the observation to plan again with, or undefined when none needs it.
 */
export async function confirmRecordingCounts(
  port: LiveKitPort,
  plan: Plan,
  observation: RecordingObservation,
): Promise<RecordingObservation | undefined> {
  const rooms = new Set<string>();
  for (const c of plan.changes) {
    if (c.kind !== RECORDING_KIND) continue;
    const room = c.payload['room'];
    if (typeof room !== 'string' || observation.counts?.has(room)) continue;
    const reason = c.actionReason ?? '';
    if (c.action === 'start' || reason.startsWith('policy_no_longer_holds')) rooms.add(room);
  }
  if (rooms.size === 0) return undefined;
  const counts = new Map(observation.counts ?? []);
  for (const [room, c] of await countParticipants(port, rooms)) counts.set(room, c);
  return { ...observation, counts };
}
