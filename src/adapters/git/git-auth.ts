/**
 * Turns `auth` references into what git reads: an SSH key path for `GIT_SSH_COMMAND`, or a token
 * as an HTTP header passed through `GIT_CONFIG_*` variables (never argv, which `ps` shows, and
 * never the URL, which git prints in errors). The values are returned too, so every message
 * from git can be scrubbed of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `source.git.auth` of the config: references, not yet resolved. */
export type GitAuthConfig =
  | { sshKey: { fromFile: string }; knownHosts?: { fromFile: string } }
  | { token: { fromEnv: string }; username?: string };

export interface ResolvedGitAuth {
  /** Variables to add to git's environment. */
  env: Record<string, string>;
  /** Values that must never appear in logs, status or errors. */
  secrets: string[];
}

export class GitAuthError extends Error {
  override readonly name = 'GitAuthError';
}

/** Single-quoted for the shell git runs `GIT_SSH_COMMAND` with. */
function shellQuote(p: string): string {
  return `'${p.replaceAll("'", `'\\''`)}'`;
}

export function resolveGitAuth(
  auth: GitAuthConfig | undefined,
  ctx: { env: Record<string, string | undefined>; baseDir: string },
): ResolvedGitAuth {
  // Never prompt: a daemon has no terminal, and a prompt would hang the fetch.
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  const ssh = ['ssh', '-o', 'BatchMode=yes'];
  if (!auth) {
    env['GIT_SSH_COMMAND'] = ssh.join(' ');
    return { env, secrets: [] };
  }
  if ('sshKey' in auth) {
    const key = path.resolve(ctx.baseDir, auth.sshKey.fromFile);
    try {
      readFileSync(key);
    } catch {
      throw new GitAuthError(`auth.sshKey: cannot read ${auth.sshKey.fromFile}`);
    }
    ssh.push('-o', 'IdentitiesOnly=yes', '-i', shellQuote(key));
    if (auth.knownHosts) {
      const hosts = path.resolve(ctx.baseDir, auth.knownHosts.fromFile);
      ssh.push('-o', `UserKnownHostsFile=${shellQuote(hosts)}`);
    }
    env['GIT_SSH_COMMAND'] = ssh.join(' ');
    return { env, secrets: [] };
  }
  const token = ctx.env[auth.token.fromEnv];
  if (token === undefined || token === '') {
    throw new GitAuthError(`auth.token: environment variable ${auth.token.fromEnv} is not set`);
  }
  const basic = Buffer.from(`${auth.username ?? 'x-access-token'}:${token}`).toString('base64');
  env['GIT_SSH_COMMAND'] = ssh.join(' ');
  env['GIT_CONFIG_COUNT'] = '1';
  env['GIT_CONFIG_KEY_0'] = 'http.extraHeader';
  env['GIT_CONFIG_VALUE_0'] = `Authorization: Basic ${basic}`;
  return { env, secrets: [token, basic] };
}
