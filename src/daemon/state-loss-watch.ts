/**
 * The daemon's side of the state-loss guard: notices a state whose lineage changed under it (the
 * state file deleted, Redis restarted empty) and reports what the guard adopted, in the log and
 * in `_daemon.yaml`, so a lost state is never silent.
 */
import type { Logger } from 'pino';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { StateDocument } from '../core/inventory.ts';
import type { StateLossReport } from '../core/state-loss.ts';

/** Adopted objects kept in `_daemon.yaml` at most. */
const ADOPTED_KEPT = 200;

export interface StateLossWatch {
  /** The state a reconcile read (returned as it is). */
  saw(state: StateDocument): StateDocument;
  /** What a reconcile's plan adopted while the guard was open (after its apply succeeded). */
  adopted(report: StateLossReport | undefined): void;
}

export function createStateLossWatch(o: {
  status: StatusStore;
  log: Logger;
  now: () => Date;
}): StateLossWatch {
  return {
    saw(state) {
      // Kept in the daemon's status (across leadership terms and restarts), not in this closure.
      const before = o.status.daemon().stateLineage;
      if (before === state.lineage) return state;
      o.status.updateDaemon((d) => (d.stateLineage = state.lineage));
      if (before === undefined) return state;
      o.log.error(
        { lineage: state.lineage, previousLineage: before, serial: state.serial },
        'the state was lost: its lineage changed under the daemon; adopting what LiveKit holds that is provably ours',
      );
      o.status.updateDaemon((d) => {
        d.stateLoss = {
          lineage: state.lineage,
          previousLineage: before,
          detectedAt: o.now().toISOString(),
          adopted: [],
        };
      });
      return state;
    },
    adopted(report) {
      if (!report || report.adopted.length === 0) return;
      o.log.warn(
        { lineage: report.lineage, adopted: report.adopted },
        'state-loss guard: the state is new; adopted objects LiveKit holds that are provably ours',
      );
      o.status.updateDaemon((d) => {
        const prev = d.stateLoss?.lineage === report.lineage ? d.stateLoss : undefined;
        const adopted = [...(prev?.adopted ?? []), ...report.adopted].slice(-ADOPTED_KEPT);
        d.stateLoss = {
          ...prev,
          lineage: report.lineage,
          detectedAt: prev?.detectedAt ?? o.now().toISOString(),
          adopted,
        };
      });
    },
  };
}
