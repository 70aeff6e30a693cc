import type { StateDocument } from '../../core/inventory.ts';
import type { LockInfo } from '../../core/errors.ts';
import type { Lease, LeaseTiming } from './lease.ts';

export type { LockInfo };

/** What a run is locking the state for; free text beyond the known operations. */
export type LockOperation = 'plan' | 'apply' | 'daemon' | (string & {});

export interface LockRequest {
  operation: LockOperation;
  /** `user@host` of the holder; defaults to the current user and host. */
  who?: string;
}

export interface AcquireOptions {
  /** How long to wait for a held lock before giving up with LockHeldError (0 = fail at once). */
  waitMs?: number;
}

/**
 * Where the state document lives. Reads need no lock; every write goes through a held
 * {@link StateLock}, so two runs can never interleave their writes.
 */
export interface StateBackend {
  /** A human description, e.g. `file .livekit-gitops/state.json` or `redis 127.0.0.1:6379 lkg:`. */
  describe(): string;
  /** The current document; the first read of an empty backend persists a new lineage. */
  read(): Promise<StateDocument>;
  /** Takes the lock or throws LockHeldError naming the holder once `waitMs` has elapsed. */
  acquireLock(op: LockRequest, opts?: AcquireOptions): Promise<StateLock>;
  /** Breaks the current lock, but only if it carries this id (UsageError otherwise). */
  forceUnlock(id: string): Promise<void>;
  /** The live lock's holder, or undefined when nobody holds it (a stale lock counts as free). */
  currentLock(): Promise<LockInfo | undefined>;
  /**
   * One try at the leadership lease (one active daemon per state), which is separate from the
   * state lock: undefined while another run holds it.
   */
  acquireLeadership(op: LockRequest, timing: LeaseTiming): Promise<Lease | undefined>;
  /** The current leader, if any. */
  currentLeader(): Promise<LockInfo | undefined>;
  close(): Promise<void>;
}

export type StateUpdater = (doc: StateDocument) => StateDocument | void;

export interface StateLock {
  readonly id: string;
  readonly info: LockInfo;
  /** True once the lock was lost (lease expired and taken, or broken); writes then refuse. */
  readonly lost: boolean;
  /** When the holder last confirmed it still holds the lock (taken or renewed), epoch ms. */
  readonly renewedAt: number;
  /**
   * Replaces the document atomically with `serial` set to the stored serial + 1. Refuses with
   * LockHeldError when the lock was lost, so a writer that lost its lease cannot clobber.
   */
  write(doc: StateDocument): Promise<StateDocument>;
  /**
   * Applies `fn` to the latest document and writes it. Concurrent calls are coalesced into
   * one write (group commit); each resolves only once its change is durable. `fn` must not
   * mutate the document before throwing, and the resolved document must not be mutated (it
   * is the lock's cached copy). Callers that need not wait for durability before starting
   * their next action may keep the promise and await it later: writes then batch better.
   */
  update(fn: StateUpdater): Promise<StateDocument>;
  release(): Promise<void>;
  onLost(cb: (reason: Error) => void): void;
}
