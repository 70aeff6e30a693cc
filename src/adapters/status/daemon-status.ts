/** The shape of `status/_daemon.yaml`: the daemon's own status, beside the per-room files. */
import type { GitSourceStatus } from '../../core/git-commit.ts';
import type { AdoptedObject } from '../../core/state-loss.ts';

export interface StateLossStatus {
  /** The new lineage the state started with. */
  lineage: string;
  /** The lineage this daemon reconciled before, when it saw the state change under it. */
  previousLineage?: string;
  detectedAt: string;
  /** Objects adopted because LiveKit held them and they are provably ours (newest last, bounded). */
  adopted: AdoptedObject[];
}

export interface SpecErrorEntry {
  file: string;
  line: number;
  col: number;
  code: string;
  message: string;
}

export interface DaemonStatus {
  apiVersion: 'livekit-gitops/v1';
  kind: 'DaemonStatus';
  pid: number;
  startedAt: string;
  /** Holding the state lock and reconciling (false while waiting for another daemon's lock). */
  active: boolean;
  livekitUp: boolean | null;
  specHash: string;
  /** Errors in spec files; the last valid version of each of those files stays in force. */
  specErrors: SpecErrorEntry[];
  lastFullResync: { time: string; result: 'success' | 'error'; message?: string } | null;
  /** Webhook ids already folded (newest last, bounded), so a restart does not fold them twice. */
  seenEventIds: string[];
  /** Spec deletes a full resync held back over maxDeletes (src/daemon/delete-budget.ts). */
  deletesHeld?: {
    count: number;
    maxDeletes: number;
    reason: string;
    /** When the hold began (kept while it lasts). */
    since: string;
    /** The first addresses held, sorted. */
    addresses: string[];
  };
  /** With a git source: the fetched, applied and refused commits. */
  git?: GitSourceStatus;
  /** The lineage of the state last reconciled: a different one later means the state was lost. */
  stateLineage?: string;
  /** What the state-loss guard found and adopted (a new lineage; src/core/state-loss.ts). */
  stateLoss?: StateLossStatus;
  updatedAt: string;
}

export const DAEMON_STATUS_FILE = '_daemon.yaml';

export function emptyDaemonStatus(pid: number, now: string): DaemonStatus {
  return {
    apiVersion: 'livekit-gitops/v1',
    kind: 'DaemonStatus',
    pid,
    startedAt: now,
    active: false,
    livekitUp: null,
    specHash: '',
    specErrors: [],
    lastFullResync: null,
    seenEventIds: [],
    updatedAt: now,
  };
}
