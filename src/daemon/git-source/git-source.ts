/**
 * The daemon's git source: fetch the ref into a cache, write the head commit out into a new
 * directory, verify and validate it, and only then switch the daemon's specs to it. Runs are
 * serialised (a trigger during a run asks for one more run); triggers are an interval with
 * jitter and the push webhook. A commit refused, or a remote that cannot be reached, leaves the
 * last good commit in force and is reported.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { openCheckouts, type Checkouts } from '../../adapters/git/checkouts.ts';
import type { GitMetrics } from './git-metrics.ts';
import { openGitRepo, type GitRepo } from '../../adapters/git/git-repo.ts';
import type { ResolvedGitAuth } from '../../adapters/git/git-auth.ts';
import {
  fullRef,
  type AppliedCommit,
  type CommitInfo,
  type GitSourceStatus,
  type RejectedCommit,
} from '../../core/git-commit.ts';
import type { GitSourceConfig } from './types.ts';

export interface GitSourceOptions {
  config: GitSourceConfig;
  /** Cache, checkouts and the `current` link live here. */
  workDir: string;
  auth: ResolvedGitAuth;
  /** Absolute path of the allowed-signers file when verification is on. */
  allowedSignersFile?: string;
  log: Logger;
  now: () => Date;
  metrics: GitMetrics;
  /** Errors of the specs under `dir` (formatted); empty when the commit may be applied. */
  validate(dir: string): Promise<string[]>;
  /** Called after `current` points at the new commit: reload specs, reconcile. */
  applied(commit: AppliedCommit): Promise<void>;
  /** Every change of the status block. */
  report(status: GitSourceStatus): void;
}

export interface GitSource {
  /** The symlink to the commit in force; the spec store reads through it. */
  root: string;
  /** The spec path inside a checkout. */
  specPath: string;
  status(): GitSourceStatus;
  /** The commit in force, from an earlier run, when there is one. */
  resume(): Promise<AppliedCommit | undefined>;
  /** Runs once now (or once more after the run in progress) and resolves when done. */
  sync(reason: string): Promise<void>;
  /** Starts the interval; the first tick comes after one interval. */
  start(): void;
  close(): Promise<void>;
}

export async function createGitSource(o: GitSourceOptions): Promise<GitSource> {
  const ref = fullRef(o.config.ref);
  const log = o.log.child({ source: 'git' });
  const repo: GitRepo = await openGitRepo({
    dir: path.join(o.workDir, 'cache'),
    url: o.config.url,
    env: o.auth.env,
    secrets: o.auth.secrets,
  });
  const checkouts: Checkouts = await openCheckouts(o.workDir);
  const state: GitSourceStatus = {
    url: o.config.url,
    ref,
    path: o.config.path,
    fetched: null,
    applied: null,
    rejected: null,
    lastFetch: null,
  };
  const report = (): void => o.report(structuredClone(state));
  const iso = (): string => o.now().toISOString();

  let running: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function setApplied(commit: AppliedCommit): void {
    state.applied = commit;
    o.metrics.applied.reset();
    o.metrics.applied.set({ sha: commit.sha }, 1);
    o.metrics.appliedTimestamp.set(Date.parse(commit.since) / 1000);
  }

  function reject(info: CommitInfo, reason: RejectedCommit['reason'], errors: string[]): void {
    state.rejected = { ...info, at: iso(), reason, errors };
    o.metrics.commits.inc({ result: 'rejected' });
    o.metrics.rejected.reset();
    o.metrics.rejected.set({ sha: info.sha, reason }, 1);
    log.error(
      { sha: info.sha, reason, errors: errors.slice(0, 20), subject: info.subject },
      `commit ${info.sha.slice(0, 12)} refused (${reason}); ${state.applied ? `${state.applied.sha.slice(0, 12)} stays in force` : 'no commit in force yet'}`,
    );
    report();
  }

  async function fetchHead(): Promise<string | undefined> {
    try {
      const sha = await repo.fetch(ref);
      o.metrics.fetches.inc({ result: 'success' });
      o.metrics.up.set(1);
      o.metrics.lastFetchTimestamp.set(o.now().getTime() / 1000);
      state.lastFetch = { time: iso(), result: 'success' };
      return sha;
    } catch (err) {
      const message = (err as Error).message;
      o.metrics.fetches.inc({ result: 'error' });
      o.metrics.up.set(0);
      // Logged when it starts failing, not on every tick of an outage.
      if (state.lastFetch?.result !== 'error') {
        log.warn(
          { url: o.config.url, ref, error: message, applied: state.applied?.sha ?? null },
          'git fetch failed; the last good commit stays in force',
        );
      }
      state.lastFetch = { time: iso(), result: 'error', message };
      report();
      return undefined;
    }
  }

  async function runOnce(reason: string): Promise<void> {
    const sha = await fetchHead();
    if (sha === undefined || closed) return;
    const fetchedBefore = state.fetched?.sha;
    if (sha !== fetchedBefore) {
      const info = await repo.commitInfo(sha);
      state.fetched = { ...info, at: iso() };
    } else if (state.fetched) {
      state.fetched.at = iso();
    }
    // Applied already, or refused already (a refusal holds until the ref moves).
    if (sha === state.applied?.sha || sha === state.rejected?.sha) return report();
    const info = state.fetched ?? (await repo.commitInfo(sha));
    log.info({ sha, reason, subject: info.subject }, 'new commit on the ref');
    if (o.allowedSignersFile !== undefined) {
      const verdict = await repo.verify(sha, o.allowedSignersFile);
      if (!verdict.ok) return reject(info, 'unverified', [verdict.why]);
    }
    const dir = checkouts.fresh(sha);
    try {
      await repo.materialise(sha, dir);
    } catch (err) {
      await checkouts.discard(dir);
      return reject(info, 'checkout_failed', [(err as Error).message]);
    }
    const errors = await o.validate(dir);
    if (errors.length > 0) {
      await checkouts.discard(dir);
      return reject(info, 'invalid_specs', errors);
    }
    const commit: AppliedCommit = { ...info, since: iso() };
    await checkouts.switchTo(dir, commit);
    setApplied(commit);
    state.rejected = null;
    o.metrics.rejected.reset();
    o.metrics.commits.inc({ result: 'applied' });
    log.info({ sha, subject: info.subject, author: info.author }, 'commit applied');
    report();
    await o.applied(commit);
    await checkouts.cleanup();
  }

  function sync(reason: string): Promise<void> {
    if (closed) return Promise.resolve();
    if (!running) {
      running = runOnce(reason)
        .catch((err: unknown) => log.error({ error: (err as Error).message }, 'git sync failed'))
        .finally(() => (running = undefined));
      return running;
    }
    // One run queued behind the current one covers every trigger that arrives meanwhile.
    again ??= running.then(() => {
      again = undefined;
      return sync(reason);
    });
    return again;
  }

  function arm(): void {
    // ±10 % jitter, so daemons started together do not fetch in lockstep.
    const wait = o.config.intervalMs * (0.9 + Math.random() * 0.2);
    timer = setTimeout(() => {
      void sync('interval').finally(() => {
        if (!closed) arm();
      });
    }, wait);
    timer.unref();
  }

  return {
    root: checkouts.current,
    specPath: o.config.path,
    status: () => structuredClone(state),
    async resume() {
      const commit = await checkouts.inForce();
      if (commit) {
        setApplied(commit);
        report();
      }
      return commit;
    },
    sync,
    start: arm,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
