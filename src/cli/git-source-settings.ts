/**
 * The daemon's git source from flags and config, resolved at the boundary: references read
 * (token, webhook secret), files checked, paths made absolute. Undefined without a git URL.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { GitAuthError, resolveGitAuth } from '../adapters/git/git-auth.ts';
import type { DaemonGitSettings } from '../daemon/git-source/daemon-git.ts';
import type { ProjectConfig } from '../spec/config-schema.ts';
import { gitPathProblem, gitUrlProblem } from '../spec/config-git-source.ts';
import { parseDuration } from '../spec/duration.ts';
import { resolveSecret, SecretResolutionError } from '../spec/secrets.ts';

export interface GitFlags {
  gitUrl?: string;
  gitRef?: string;
  gitPath?: string;
  gitInterval?: string;
}

export function gitSourceSettings(
  flags: GitFlags,
  config: ProjectConfig,
  io: { cwd: string; env: Record<string, string | undefined> },
): DaemonGitSettings | undefined {
  const cfg = config.source?.git;
  const url = flags.gitUrl ?? cfg?.url;
  if (url === undefined) {
    for (const f of ['gitRef', 'gitPath', 'gitInterval'] as const) {
      if (flags[f] !== undefined)
        throw new UsageError(`--${kebab(f)} needs a git source (--git-url)`);
    }
    return undefined;
  }
  const urlProblem = gitUrlProblem(url);
  if (urlProblem !== undefined) throw new UsageError(`--git-url ${urlProblem}`);
  const specPath = flags.gitPath ?? cfg?.path ?? '.';
  const pathProblem = gitPathProblem(specPath);
  if (pathProblem !== undefined) throw new UsageError(`--git-path ${pathProblem}`);
  const intervalText = flags.gitInterval ?? cfg?.interval ?? '1m';
  const intervalMs = parseDuration(intervalText);
  if (intervalMs === undefined || intervalMs === 0) {
    throw new UsageError('--git-interval wants a duration such as 30s or 5m');
  }
  const ctx = { env: io.env, baseDir: io.cwd };
  let auth;
  try {
    auth = resolveGitAuth(cfg?.auth, ctx);
  } catch (err) {
    if (err instanceof GitAuthError) throw new UsageError(`source.git.${err.message}`);
    throw err;
  }
  const settings: DaemonGitSettings = {
    config: {
      url: isLocalPath(url) ? path.resolve(io.cwd, url) : url,
      ref: flags.gitRef ?? cfg?.ref ?? 'main',
      path: specPath,
      intervalMs,
      ...(cfg?.auth ? { auth: cfg.auth } : {}),
    },
    workDir: path.resolve(io.cwd, config.stateDir, 'git'),
    auth,
  };
  if (cfg?.webhook) {
    try {
      settings.webhookSecret = resolveSecret(cfg.webhook.secret, ctx);
    } catch (err) {
      if (err instanceof SecretResolutionError) {
        throw new UsageError(`source.git.webhook.secret: ${err.message}`);
      }
      throw err;
    }
  }
  if (cfg?.verify) {
    const file = path.resolve(io.cwd, cfg.verify.allowedSigners.fromFile);
    try {
      accessSync(file, constants.R_OK);
    } catch {
      throw new UsageError(
        `source.git.verify.allowedSigners: cannot read ${cfg.verify.allowedSigners.fromFile}`,
      );
    }
    settings.allowedSignersFile = file;
  }
  return settings;
}

/** A URL git reads as a local path (relative ones are made absolute: the cache is elsewhere). */
function isLocalPath(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^[^/]+@[^/]+:/.test(url);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
