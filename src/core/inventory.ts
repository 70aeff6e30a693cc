/**
 * The state document: what the tool owns and protects. Stored by a state backend (local file or
 * Redis); read by the pure core to decide what it may change or delete.
 */

export interface OwnedObject {
  /** The plan address, e.g. `room.all-hands`. */
  address: string;
  kind: string;
  name: string;
  /** Server id where LiveKit assigns one (room sid, ingress id, SIP trunk id). */
  serverId?: string;
  /** Hash of the spec last applied to it. */
  specHash?: string;
  /** ISO time it was created or adopted. */
  since: string;
  /** Kind-specific facts needed to recognise or undo it later (e.g. an agent dispatch's room session). */
  match?: Record<string, string>;
}

export interface Protection {
  address: string;
  /** Why it may not be deleted; `preventDestroy` stays in state after the spec is removed. */
  reason: 'preventDestroy';
  since: string;
}

/**
 * A non-idempotent call that was started but whose answer has not been recorded yet
 * (e.g. StartEgress). Written before the call, resolved by listing afterwards.
 */
export interface PendingOperation {
  address: string;
  operation: string;
  startedAt: string;
  /** Enough to recognise the result when listing (e.g. room name and a request fingerprint). */
  match: Record<string, string>;
}

/**
 * A participant session a ModerationRule with `enforce: onJoin` has acted on: it is not acted on
 * again until the participant rejoins (a new session sid).
 */
export interface ModeratedSession {
  room: string;
  identity: string;
  /** Participant sid of the session. */
  sid: string;
  /** ISO time of the action. */
  at: string;
}

/**
 * Retry bookkeeping of one recording address (`recording.<policy>.<room>`): failed, aborted or lost
 * egresses and starts that got no egress, so retries back off and stop at a cap.
 */
export interface RecordingRecord {
  policy: string;
  room: string;
  /** Consecutive failures in this room since the policy last stopped holding there. */
  failures: number;
  /** ISO: no new start before this. */
  retryAt?: string;
  /** ISO time and reason of the last failure (server text, secrets scrubbed). */
  lastFailureAt?: string;
  lastError?: string;
  /** Egress ids found lost (worker gone, still ACTIVE on the server): never adopted or counted. */
  lost?: string[];
}

export interface StateDocument {
  version: 1;
  /** Random id fixed when the state is first created; a saved plan must match it. */
  lineage: string;
  /** Increments on every write. */
  serial: number;
  owned: Record<string, OwnedObject>;
  protections: Record<string, Protection>;
  pending: Record<string, PendingOperation>;
  /** `enforce: onJoin` bookkeeping, by moderation address; absent in older documents. */
  moderated?: Record<string, ModeratedSession>;
  /** Recording retry bookkeeping, by recording address; absent in older documents. */
  recordings?: Record<string, RecordingRecord>;
  /**
   * Set when a scoped reconcile wrote a new lineage's first records: the state-loss guard stays
   * open (what LiveKit holds that is provably ours is adopted) until a full plan has written.
   */
  stateLossGuard?: { since: string };
}

export function emptyState(lineage: string): StateDocument {
  return { version: 1, lineage, serial: 0, owned: {}, protections: {}, pending: {} };
}

/**
 * Copy-on-write editing of a state document, for settle passes that usually change nothing:
 * `edit()` copies the document (and its owned, pending and recordings maps) on first use and
 * returns the same copy after; `current()` is that copy, or the untouched original.
 */
export interface StateDraft {
  readonly edit: () => StateDocument;
  readonly current: () => StateDocument;
}

export function draftState(state: StateDocument): StateDraft {
  let next: StateDocument | undefined;
  return {
    edit: () =>
      (next ??= {
        ...state,
        owned: { ...state.owned },
        pending: { ...state.pending },
        ...(state.recordings ? { recordings: { ...state.recordings } } : {}),
      }),
    current: () => next ?? state,
  };
}
