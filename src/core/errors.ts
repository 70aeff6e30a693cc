/**
 * The closed set of runtime errors. Only `src/cli` maps them to exit codes and prints them;
 * everything else throws or returns them. Messages never carry credentials.
 */

/** What went wrong when talking to LiveKit, independent of the SDK's own error classes. */
export type LiveKitErrorKind =
  'not_found' | 'invalid' | 'unauthenticated' | 'unavailable' | 'timeout' | 'conflict' | 'internal';

export class LiveKitError extends Error {
  override readonly name = 'LiveKitError';
  readonly kind: LiveKitErrorKind;
  /** The server's Twirp code (`not_found`, `failed_precondition`, ...) when it sent one. */
  readonly serverCode: string | undefined;
  /** HTTP status, 0 for transport failures and timeouts. */
  readonly status: number;
  /** The RPC that failed, e.g. `RoomService.CreateRoom`. */
  readonly operation: string;

  constructor(
    kind: LiveKitErrorKind,
    operation: string,
    message: string,
    opts: { serverCode?: string | undefined; status?: number; cause?: unknown } = {},
  ) {
    super(`${operation}: ${message}`, { cause: opts.cause });
    this.kind = kind;
    this.operation = operation;
    this.serverCode = opts.serverCode;
    this.status = opts.status ?? 0;
  }

  /** Transient failures that a safe-to-repeat call may retry. */
  get retryable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'timeout' || this.kind === 'internal';
  }
}

/** Bad flags, a missing file, a bad config value: the user can fix it. Exit 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Specs did not validate; the diagnostics were already reported. Exit 1. */
export class InvalidSpecsError extends Error {
  override readonly name = 'InvalidSpecsError';
}

/** A saved plan no longer matches the specs or the live state. Exit 3. */
export class StalePlanError extends Error {
  override readonly name = 'StalePlanError';
}

/** Who holds a lock, as recorded by the holder. */
export interface LockInfo {
  id: string;
  who: string;
  operation: string;
  created: string;
  /** The holder's process and host: on the same host a gone process frees the lock at once. */
  pid?: number;
  host?: string;
}

/** Another run holds the state lock. Exit 4. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly holder: LockInfo | undefined;
  constructor(message: string, holder?: LockInfo) {
    super(message);
    this.holder = holder;
  }
}

/** An apply refused by a safety guard (maxDeletes, empty spec set, protection). Exit 1. */
export class SafetyRefusal extends Error {
  override readonly name = 'SafetyRefusal';
}

/** A GitHub API call failed (comment or status not posted). Exit 5. */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
  readonly status: number;
  constructor(message: string, status: number, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.status = status;
  }
}
