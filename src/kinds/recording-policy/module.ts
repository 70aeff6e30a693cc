/**
 * RecordingPolicy in the registry: egress is observed when a policy exists or state still owns a
 * recording; settling adopts, fails or forgets egresses (the events go to status and logs), and
 * `start` changes get a pending marker with the request's fingerprint.
 */
import { roomInPayload, type Env, type KindModule, type PlanStepInput } from '../kind.ts';
import { executeRecording, recordRecordingFailure } from './apply.ts';
import { RECORDING_KIND } from './desired.ts';
import { recordingOptionsFromEnv } from './options.ts';
import { confirmRecordingCounts, observeRecordingFor, recordingPlanInput } from './plan-hook.ts';
import { adoptableAddresses, bindRecording, holdingAddresses } from './planner.ts';
import {
  settleRecordingInventory,
  type RecordingEvent,
  type RecordingObservation,
} from './settle.ts';
import { recordingStatusFolds } from './status-fold.ts';

declare module '../kind.ts' {
  interface Observed {
    /** Active egress (every page), owned egresses that ended, lost ones (absent: no policy). */
    egress?: RecordingObservation;
  }
  interface PlanExtras {
    /** Recording adoptions, failures and lost egresses found while settling. */
    recordingEvents?: RecordingEvent[];
  }
}

function planInputOf(i: PlanStepInput, observation: RecordingObservation, env: Env) {
  return recordingPlanInput({
    specs: i.specs ?? [],
    declaredRooms: i.declaredRooms,
    liveRooms: i.observed.rooms,
    observation,
    scope: i.scope,
    options: recordingOptionsFromEnv(env),
  });
}

export const recordingModule: KindModule = {
  kind: RECORDING_KIND,
  docs: 'docs/recording.md',
  notImportable:
    'a policy decides when egress runs; a running egress does not say which policy wanted it',
  dependsOn: ['Room'],
  // Named after the policy or rule; the room is in the payload.
  roomOf: (change) => roomInPayload(change.payload),
  status: recordingStatusFolds,
  async observe({ port, scope, specs, state, now, env }) {
    const options = recordingOptionsFromEnv(env);
    const egress = await observeRecordingFor(port, { scope, specs, state, now, options });
    return egress && ((o) => (o.egress = egress));
  },
  async recount(port, plan, observed) {
    if (observed.egress === undefined) return undefined;
    const egress = await confirmRecordingCounts(port, plan, observed.egress);
    return egress && ((o) => (o.egress = egress));
  },
  settle(i) {
    const observation = i.observed.egress;
    if (observation === undefined) return undefined;
    const planInput = planInputOf(i, observation, i.secrets.env);
    const { state, events } = settleRecordingInventory({
      state: i.state,
      observation,
      holding: holdingAddresses(planInput, i.at),
      ...(i.stateLossGuard ? { adoptable: adoptableAddresses(planInput, i.at) } : {}),
      now: i.at,
      options: recordingOptionsFromEnv(i.secrets.env),
      scope: i.scope,
    });
    return events.length > 0 ? { state, extras: { recordingEvents: events } } : { state };
  },
  plan(i) {
    const observation = i.observed.egress;
    if (observation === undefined) return undefined;
    return bindRecording(planInputOf(i, observation, i.secrets.env));
  },
  execute: (change, ctx) => executeRecording(change, ctx),
  recordFailure: (doc, change, error, at, env) =>
    recordRecordingFailure(doc, change, error, at, recordingOptionsFromEnv(env)),
  pendingMarker(change, startedAt) {
    // StartEgress is not idempotent: the marker (with the request's fingerprint) lets the next
    // reconcile adopt the egress of a start whose answer was lost, instead of starting another.
    if (change.action !== 'start') return undefined;
    const p = change.payload;
    return {
      address: change.address,
      operation: 'start',
      startedAt,
      match: {
        policy: change.name,
        room: typeof p['room'] === 'string' ? p['room'] : '',
        fingerprint: typeof p['fingerprint'] === 'string' ? p['fingerprint'] : '',
      },
    };
  },
};
