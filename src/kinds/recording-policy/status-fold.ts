/**
 * Folds what a reconcile learned about recordings into the status files and metrics: the egress
 * it observed (results, ended, lost), the settle reports (adopted, unanswered, failed, lost,
 * completed) and the starts that failed.
 */
import type { DaemonMetrics } from '../../adapters/metrics/registry.ts';
import {
  foldEgress,
  foldRecordingEvent,
  syncObservedEgress,
  type RecordingStatusEventKind,
} from '../../adapters/status/recording-status.ts';
import type { StatusStore } from '../../adapters/status/status-store.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveEgress } from '../../core/live.ts';
import { scrubText } from '../../core/redact.ts';
import type { KindOutcome, KindStatusFolds, ReconcileFoldInput } from '../kind.ts';
import { RECORDING_KIND } from './desired.ts';
import { createEgressPolicyIndex } from './egress-index.ts';
import { recordingEndedEvent } from './notices.ts';
import type { EgressPolicyOf } from './egress-owner.ts';
import { recordingOptionsFromEnv } from './options.ts';
import { recordingPoliciesOf } from './plan-hook.ts';
import type { RecordingEvent, RecordingObservation } from './settle.ts';
import { recordingWakeTimes } from './wake.ts';

export interface RecordingFoldInput {
  /** The rooms the observation covers (undefined: all). */
  scope: ReadonlySet<string> | undefined;
  observation: RecordingObservation | undefined;
  events: readonly RecordingEvent[];
  outcomes: readonly KindOutcome[];
  /** The settled state: its lost ids stay marked while the server lists them. */
  state: StateDocument;
  policyOf: EgressPolicyOf;
  secrets: readonly string[];
  now: Date;
}

type RecordingMetrics = Pick<DaemonMetrics, 'egressLost' | 'egressStartFailures'>;

function byRoom(list: readonly LiveEgress[]): Map<string, LiveEgress[]> {
  const out = new Map<string, LiveEgress[]>();
  for (const e of list) {
    if (!e.roomName) continue; // web egress names no room
    const l = out.get(e.roomName);
    if (l) l.push(e);
    else out.set(e.roomName, [e]);
  }
  return out;
}

/** A start that got no answer at all: the next settle adopts or reports it, not counted here. */
function unanswered(err: unknown): boolean {
  return (
    err instanceof LiveKitError &&
    err.status === 0 &&
    (err.kind === 'timeout' || err.kind === 'unavailable')
  );
}

function foldRecordingResults(
  store: StatusStore,
  metrics: RecordingMetrics,
  input: RecordingFoldInput,
): void {
  const { observation, secrets } = input;
  const now = input.now.toISOString();
  if (observation) {
    const active = byRoom(observation.active);
    const ended = byRoom(observation.ended);
    const lost = new Set(observation.lost);
    for (const rec of Object.values(input.state.recordings ?? {}))
      for (const id of rec.lost ?? []) lost.add(id);
    const rooms = new Set([...active.keys(), ...ended.keys()]);
    // Rooms whose status shows running egress the server may no longer list.
    for (const room of input.scope ?? store.rooms()) {
      if (store.peek(room)?.recordings.egresses?.length) rooms.add(room);
    }
    for (const room of rooms) {
      if (input.scope && !input.scope.has(room)) continue;
      const seen = { active: active.get(room) ?? [], ended: ended.get(room) ?? [] };
      store.update(room, (s) => syncObservedEgress(s, seen, lost, input.policyOf, secrets));
    }
  }
  for (const ev of input.events) {
    store.update(ev.room, (s) => foldRecordingEvent(s, ev, now, secrets));
    if (ev.kind === 'lost') metrics.egressLost.inc({ policy: ev.policy });
    if (ev.kind === 'failed' || ev.kind === 'unanswered') {
      metrics.egressStartFailures.inc({ policy: ev.policy, reason: ev.kind });
    }
  }
  for (const o of input.outcomes) {
    if (o.ok || o.change.kind !== RECORDING_KIND || o.change.action !== 'start') continue;
    const room = o.change.payload['room'];
    if (typeof room !== 'string') continue;
    const noAnswer = unanswered(o.error);
    const message = o.error instanceof Error ? o.error.message : String(o.error);
    const kind: RecordingStatusEventKind = 'start_failed';
    store.update(room, (s) =>
      foldRecordingEvent(
        s,
        {
          kind,
          policy: o.change.name,
          message: noAnswer ? `no answer yet (${message}); waiting for its egress` : message,
        },
        now,
        secrets,
      ),
    );
    if (!noAnswer) metrics.egressStartFailures.inc({ policy: o.change.name, reason: 'error' });
  }
}

/** Egresses the tool owns after a reconcile: the settled state plus the apply's effects. */
export function ownedEgressCount(state: StateDocument, outcomes: readonly KindOutcome[]): number {
  const owned = new Set(
    Object.entries(state.owned)
      .filter(([, o]) => o.kind === RECORDING_KIND && o.serverId)
      .map(([a]) => a),
  );
  for (const o of outcomes) {
    if (!o.ok || o.change.kind !== RECORDING_KIND) continue;
    if (o.effect.own) owned.add(o.effect.own.address);
    if (o.effect.disown !== undefined) owned.delete(o.effect.disown);
  }
  return owned.size;
}

/**
 * Recording's part of the status files: `egress_*` webhooks and every reconcile's egress,
 * reports and failed starts in the room's `recordings`; the owned-egress gauge; the wake-ups of
 * retries and pending starts. Its memory: which policy each egress belongs to.
 */
export function recordingStatusFolds(): KindStatusFolds {
  const index = createEgressPolicyIndex();
  return {
    foldEvent(s, ev, { secretValues }) {
      if (ev.egress) foldEgress(s, ev.egress, index.policyOf(ev.egress), secretValues);
    },
    notices(ev) {
      const policy = ev.egress ? index.policyOf(ev.egress) : undefined;
      if (!ev.egress || policy === undefined || ev.event !== 'egress_ended') return [];
      const ended = recordingEndedEvent(ev.egress, policy);
      return ended ? [ended] : [];
    },
    foldReconcile(i: ReconcileFoldInput) {
      const events = i.extras.recordingEvents ?? [];
      const observation = i.observed.egress;
      if (observation === undefined && events.length === 0) return;
      index.update(i.settled, recordingPoliciesOf(i.specs));
      for (const o of i.outcomes) {
        if (o.ok && o.change.kind === RECORDING_KIND && o.effect.own?.serverId) {
          index.remember(o.effect.own.serverId, o.change.name);
        }
      }
      foldRecordingResults(i.status, i.metrics, {
        scope: i.scope,
        observation,
        events,
        outcomes: i.outcomes,
        state: i.settled,
        policyOf: index.policyOf,
        secrets: i.secretValues,
        now: i.now,
      });
      i.metrics.egressActive.set(ownedEgressCount(i.settled, i.outcomes));
      const options = recordingOptionsFromEnv(i.env);
      for (const [room, at] of recordingWakeTimes(i.settled, i.now, options, i.scope)) {
        i.requeueAt(room, at);
      }
      for (const e of events) {
        const fields = { policy: e.policy, room: e.room, egressId: e.egressId, kind: e.kind };
        if (e.kind === 'completed' || e.kind === 'adopted') i.log.info(fields, e.message);
        else i.log.warn(fields, scrubText(e.message, i.secretValues));
      }
    },
  };
}
