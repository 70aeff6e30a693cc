/**
 * Executes a plan: bounded concurrency; pending markers written before any call, and every finished
 * action recorded in the state within a short window, so an apply killed at any point loses no
 * ownership (the next run settles the markers against LiveKit) and a rerun converges. Every
 * write is a delta to the current document under the lock (settle results included), never a
 * section copied back from the snapshot the plan read, so runs that overlap keep each other's
 * records.
 */
import type { StateLock } from '../adapters/state/backend.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { StateDocument } from '../core/inventory.ts';
import type { Plan, ResourceChange } from '../core/plan.ts';
import { applyStateDelta, stateDelta } from '../core/state-delta.ts';
import { batchedUpdates } from '../engine/batched-updates.ts';
import { executeChanges } from '../engine/executor.ts';
import { executeChange, recordChangeFailure, type StateEffect } from '../kinds/execute.ts';
import { applyPhase, kindModule } from '../kinds/index.ts';
import type { Secrets } from '../spec/secrets.ts';

export type ChangeOutcome =
  | { ok: true; change: ResourceChange; effect: StateEffect }
  | { ok: false; change: ResourceChange; error: unknown };

export interface ApplyReport {
  outcomes: ChangeOutcome[];
  skipped: ResourceChange[];
}

export interface ApplyInput {
  plan: Plan;
  port: LiveKitPort;
  lock: StateLock;
  /**
   * The state the plan read (`base`) and the inventory settled from it (`state`), as planning
   * returns them: what settling changed is written first, as a delta to the current document,
   * so a run that wrote in between (another reconcile, a CI apply) keeps its records.
   */
  settled?: { base: StateDocument; state: StateDocument };
  concurrency: number;
  now: () => Date;
  onStart?: (change: ResourceChange) => void;
  onDone?: (outcome: ChangeOutcome) => void;
  /** The environment and secret resolver the boundary hands down. */
  secrets: Secrets;
}

export async function applyPlan(input: ApplyInput): Promise<ApplyReport> {
  const { plan, lock, now } = input;
  const { secrets } = input;
  const startedAt = now().toISOString();
  const protections = plan.protections ?? { protect: [], unprotect: [] };
  // Before any call: record the creates as pending, so a crash between CreateRoom and the state
  // write still leaves the room ours on the next run (the kind's settle resolves it). A kind may
  // write its own marker (StartEgress records the request's fingerprint).
  const settle = input.settled && stateDelta(input.settled.base, input.settled.state);
  await lock.update((doc) => {
    if (input.settled && settle) {
      // A plan made from another lineage (the state was lost and recreated meanwhile) must not
      // act on the new one: nothing is written and nothing called.
      if (input.settled.base.lineage !== doc.lineage) {
        throw new Error(
          `the state's lineage changed while planning (${input.settled.base.lineage} → ${doc.lineage}); plan again`,
        );
      }
      applyStateDelta(doc, settle);
    }
    for (const change of plan.changes) {
      const marker = kindModule(change.kind)?.pendingMarker?.(change, startedAt);
      if (marker) {
        doc.pending[change.address] = marker;
        continue;
      }
      if (change.action !== 'create' && change.action !== 'replace') continue;
      doc.pending[change.address] = {
        address: change.address,
        operation: change.action,
        startedAt,
        match: { ...stringMatch(change.payload['match']), name: change.name },
      };
    }
    for (const address of protections.protect) {
      doc.protections[address] ??= { address, reason: 'preventDestroy', since: startedAt };
    }
    for (const address of protections.unprotect) delete doc.protections[address];
  });

  const outcomes: ChangeOutcome[] = [];
  const records = batchedUpdates(lock);
  const result = await executeChanges(
    plan.changes,
    (change) => executeChange(change, input.port, now, secrets),
    {
      concurrency: input.concurrency,
      // The adapter already retries the calls that are safe to repeat.
      retry: () => false,
      // Deletes after everything else, as the plan orders them; a kind's changes after those of
      // the kinds it applies after (ids they assign), as the kinds declare.
      order: applyPhase,
      ...(input.onStart ? { onStart: input.onStart } : {}),
      onDone: (change, outcome) => {
        const o: ChangeOutcome = outcome.ok
          ? { ok: true, change, effect: outcome.result }
          : { ok: false, change, error: outcome.error };
        outcomes.push(o);
        if (o.ok) records.add((doc) => recordEffect(doc, change, o.effect));
        else records.add((doc) => recordChangeFailure(doc, change, o.error, now(), secrets.env));
        input.onDone?.(o);
      },
    },
  );
  await records.flush();
  return { outcomes, skipped: result.skipped };
}

/** A kind's extra pending-marker keys (persistent kinds: how to recognise a lost create). */
function stringMatch(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function recordEffect(doc: StateDocument, change: ResourceChange, effect: StateEffect): void {
  delete doc.pending[change.address];
  if (effect.own) doc.owned[change.address] = effect.own;
  if (effect.disown) delete doc.owned[effect.disown];
  if (effect.moderated) (doc.moderated ??= {})[change.address] = effect.moderated;
}
