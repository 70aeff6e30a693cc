/**
 * What the daemon needs from its git source, in one place: where the spec store reads
 * (`current` and the path inside it), the push hook for the HTTP listener, the validation a
 * commit must pass, and the per-room record of the commit that last changed each spec.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StatusStore } from '../../adapters/status/status-store.ts';
import type { HookHandler } from '../../adapters/webhook/http-server.ts';
import { formatDiagnostic } from '../../core/diagnostics.ts';
import type { Notify } from '../../adapters/notify/events.ts';
import { fullRef, type AppliedCommit, type RejectedCommit } from '../../core/git-commit.ts';
import type { DesiredRoom } from '../../kinds/room/desired.ts';
import { loadSpecs } from '../../spec/load.ts';
import type { ResolvedGitAuth } from '../../adapters/git/git-auth.ts';
import { createGitMetrics } from './git-metrics.ts';
import { createGitSource, type GitSource } from './git-source.ts';
import { createPushHook } from './push-hook.ts';
import type { GitSourceConfig } from './types.ts';

/** Resolved at the CLI boundary: references read, paths absolute. */
export interface DaemonGitSettings {
  config: GitSourceConfig;
  /** Cache and checkouts (under the state directory). */
  workDir: string;
  auth: ResolvedGitAuth;
  allowedSignersFile?: string;
  /** The push hook's HMAC secret; without one `/hooks/git` is not served. */
  webhookSecret?: string;
}

export const GIT_HOOK_PATH = '/hooks/git';

export interface DaemonGit {
  source: GitSource;
  /** The spec store's cwd and paths. */
  cwd: string;
  paths: string[];
  hooks: Record<string, HookHandler>;
  /** Secret values to scrub from every message. */
  secrets: string[];
}

export interface DaemonGitDeps {
  log: Logger;
  now: () => Date;
  registry: Registry;
  status: StatusStore;
  /** True once this daemon holds the lock (a standby's push hook answers 503). */
  active: () => boolean;
  /** After a switch: reload the specs and reconcile what changed. */
  applied(commit: AppliedCommit): Promise<void>;
  /** A newly refused commit is a `failed` notification. */
  notify?: Notify;
}

const ERRORS_IN_MESSAGE = 5;

/** The one-line `failed` message of a refused commit: its SHA, why, and its first errors. */
export function refusedMessage(r: RejectedCommit): string {
  const shown = r.errors.slice(0, ERRORS_IN_MESSAGE).join('; ');
  const more = r.errors.length - ERRORS_IN_MESSAGE;
  return `git commit ${r.sha.slice(0, 12)} refused (${r.reason}): ${shown}${more > 0 ? ` (+${more} more)` : ''}`;
}

/** Every error of the specs under `dir`, as `file:line:col CODE message` lines. */
export async function checkoutErrors(dir: string, specPath: string): Promise<string[]> {
  const loaded = await loadSpecs([specPath], { cwd: dir });
  return loaded.diagnostics.filter((d) => d.severity === 'error').map((x) => formatDiagnostic(x));
}

export async function attachGitSource(s: DaemonGitSettings, d: DaemonGitDeps): Promise<DaemonGit> {
  const metrics = createGitMetrics(d.registry);
  let lastRejected: string | undefined;
  const source = await createGitSource({
    config: s.config,
    workDir: s.workDir,
    auth: s.auth,
    ...(s.allowedSignersFile !== undefined ? { allowedSignersFile: s.allowedSignersFile } : {}),
    log: d.log,
    now: d.now,
    metrics,
    validate: (dir) => checkoutErrors(dir, s.config.path),
    applied: (commit) => d.applied(commit),
    report: (st) => {
      d.status.updateDaemon((x) => (x.git = st));
      // Once per refused commit: the status keeps reporting it until a later commit applies.
      const r = st.rejected;
      if (r !== null && r.sha !== lastRejected)
        d.notify?.({ type: 'failed', message: refusedMessage(r) });
      lastRejected = r?.sha;
    },
  });
  const hooks: Record<string, HookHandler> = {};
  if (s.webhookSecret !== undefined) {
    hooks[GIT_HOOK_PATH] = createPushHook({
      secret: s.webhookSecret,
      ref: fullRef(s.config.ref),
      active: d.active,
      trigger: (after) => {
        d.log.info({ source: 'git', after: after ?? null }, 'push webhook; fetching');
        void source.sync('webhook');
      },
      outcome: (outcome) => {
        metrics.hooks.inc({ outcome });
        if (outcome === 'bad_signature')
          d.log.warn({ source: 'git' }, 'push webhook refused: bad signature');
      },
    });
  }
  const secrets = [...s.auth.secrets, ...(s.webhookSecret !== undefined ? [s.webhookSecret] : [])];
  return { source, cwd: source.root, paths: [s.config.path], hooks, secrets };
}

/**
 * Records `commit` on every declared room whose spec differs from the one its status file last
 * recorded a commit for: the commit that last changed the spec (unchanged rooms keep theirs).
 */
export function markSpecCommits(
  status: StatusStore,
  rooms: readonly DesiredRoom[],
  commit: AppliedCommit,
): void {
  const { sha, author, time, subject } = commit;
  for (const room of rooms) {
    if (status.peek(room.name)?.specCommit?.specHash === room.specHash) continue;
    status.update(
      room.name,
      (r) => (r.specCommit = { sha, author, time, subject, specHash: room.specHash }),
    );
  }
}
