/**
 * Where the daemon's specs come from: the spec paths on disk, or a git source (the spec store
 * then reads through the link to the commit in force). Everything the daemon does differently
 * for a git source is here: the store's paths, extra secrets to scrub, the push hook, a
 * readiness reason, the first sync when a term starts, and the per-room spec commits.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Notify } from '../adapters/notify/events.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { HookHandler } from '../adapters/webhook/http-server.ts';
import {
  attachGitSource,
  markSpecCommits,
  type DaemonGitSettings,
} from './git-source/daemon-git.ts';
import type { Secrets } from '../spec/secrets.ts';
import type { DaemonOptions } from './daemon-options.ts';
import { createSecretValues } from './secret-values.ts';
import { createSpecStore, type SpecStore } from './spec-store.ts';

export interface SpecOrigin {
  specs: SpecStore;
  secretValues: () => readonly string[];
  hooks: Readonly<Record<string, HookHandler>> | undefined;
  /** False for a git source: it switches the specs itself, nothing to watch. */
  watch: boolean;
  notReadyReasons(): string[];
  /** Before a term's first spec load: the commit in force, then one sync (first term only). */
  beforeTerm(): Promise<void>;
  /** Once a term's sources run: mark spec commits; start the git interval (once). */
  termStarted(stopping: boolean): void;
  close(): Promise<void>;
}

export async function openSpecOrigin(o: {
  specPaths: readonly string[];
  cwd: string;
  git?: DaemonGitSettings | undefined;
  target?: DaemonOptions['target'];
  apiSecret: string;
  secrets: Secrets;
  /** More values to scrub (the notification sinks' secrets). */
  extraSecrets: readonly string[];
  /** A refused git commit is a `failed` notification. */
  notify: Notify;
  log: Logger;
  now: () => Date;
  registry: Registry;
  status: StatusStore;
  /** Whether this daemon leads now (a standby's git source writes no status). */
  active: () => boolean;
  /** A git switch: reload the specs and reconcile what changed (undefined while standing by). */
  reload: () => Promise<void> | undefined;
}): Promise<SpecOrigin> {
  let started = false;
  const git = o.git
    ? await attachGitSource(o.git, {
        log: o.log,
        now: o.now,
        registry: o.registry,
        status: o.status,
        active: o.active,
        applied: async () => {
          await o.reload();
          markCommits();
        },
        notify: o.notify,
      })
    : undefined;
  const composition = o.target
    ? { target: o.target.name, knownTargets: o.target.known, overlays: o.target.overlays }
    : {};
  const specs = createSpecStore(
    git
      ? { paths: git.paths, cwd: git.cwd, ...composition, overlays: [] }
      : { paths: o.specPaths, cwd: o.cwd, ...composition },
  );
  const secretValues = createSecretValues({
    specs,
    apiSecret: o.apiSecret,
    secrets: o.secrets,
    extra: [...(git?.secrets ?? []), ...o.extraSecrets],
  });
  /** Each declared room's status names the commit that last changed its spec. */
  function markCommits(): void {
    const commit = git?.source.status().applied;
    if (commit) markSpecCommits(o.status, specs.current().rooms, commit);
  }
  return {
    specs,
    secretValues,
    hooks: git?.hooks,
    watch: !git,
    notReadyReasons: () =>
      git && !git.source.status().applied ? ['no git commit applied yet'] : [],
    async beforeTerm() {
      if (!git || started) return;
      // The commit in force before a restart stays in force until a newer one is applied.
      await git.source.resume();
      await git.source.sync('startup');
    },
    termStarted(stopping) {
      markCommits();
      // Started once: it keeps its cache current while standing by (it writes no LiveKit).
      if (git && !started && !stopping) git.source.start();
      started = true;
    },
    close: async () => git?.source.close(),
  };
}
