/** A git commit as the daemon reports it: fetched, applied, refused (status, metrics, CLI). */

export interface CommitInfo {
  sha: string;
  author: string;
  /** Author time, ISO 8601. */
  time: string;
  subject: string;
}

export interface AppliedCommit extends CommitInfo {
  /** When this daemon switched to it. */
  since: string;
}

export interface RejectedCommit extends CommitInfo {
  /** When it was refused. */
  at: string;
  reason: 'invalid_specs' | 'unverified' | 'checkout_failed';
  /** `file:line:col CODE message` lines, or the verification / checkout failure. */
  errors: string[];
}

/** The `git` block of `status/_daemon.yaml`. */
export interface GitSourceStatus {
  url: string;
  ref: string;
  path: string;
  /** The ref's commit at the last successful fetch. */
  fetched: (CommitInfo & { at: string }) | null;
  /** The commit whose specs are in force. */
  applied: AppliedCommit | null;
  /** The newest commit refused (kept until a later commit is applied). */
  rejected: RejectedCommit | null;
  lastFetch: { time: string; result: 'success' | 'error'; message?: string } | null;
}

/** The full ref a configured `ref` names. */
export function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}
