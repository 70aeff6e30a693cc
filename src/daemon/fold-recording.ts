/**
 * Folds what a reconcile learned about recordings into the status files and metrics: the egress
 * it observed (results, ended, lost), the settle reports (adopted, unanswered, failed, lost,
 * completed) and the starts that failed.
 */
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import {
  foldRecordingEvent,
  syncObservedEgress,
  type RecordingStatusEventKind,
} from '../adapters/status/recording-status.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { ChangeOutcome } from '../app/apply-run.ts';
import { LiveKitError } from '../core/errors.ts';
import type { StateDocument } from '../core/inventory.ts';
import type { LiveEgress } from '../core/live.ts';
import { RECORDING_KIND } from '../kinds/recording-policy/desired.ts';
import type { EgressPolicyOf } from '../kinds/recording-policy/egress-owner.ts';
import type { RecordingEvent, RecordingObservation } from '../kinds/recording-policy/settle.ts';

export interface RecordingFoldInput {
  /** The rooms the observation covers (undefined: all). */
  scope: ReadonlySet<string> | undefined;
  observation: RecordingObservation | undefined;
  events: readonly RecordingEvent[];
  outcomes: readonly ChangeOutcome[];
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

export function foldRecordingResults(
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
export function ownedEgressCount(state: StateDocument, outcomes: readonly ChangeOutcome[]): number {
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
