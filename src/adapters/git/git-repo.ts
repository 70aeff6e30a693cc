/**
 * The local cache of the remote: a repository (its own work tree stays empty) the daemon fetches the ref into, and from
 * which commits are read, verified and written out as plain directories. All git calls go
 * through simple-git (argument and environment checks against known git injection vectors, a
 * timeout, one process at a time per cache).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { scrubText } from '../../core/redact.ts';
import type { CommitInfo } from '../../core/git-commit.ts';

export interface GitRepoOptions {
  /** The cache repository (created when missing). */
  dir: string;
  url: string;
  /** Extra environment for git (auth), see git-auth.ts. */
  env: Record<string, string>;
  /** Values to scrub from every error message. */
  secrets: readonly string[];
  /** A git process that shows no sign of life for this long is killed. */
  timeoutMs?: number;
}

export interface GitRepo {
  /** Fetches `ref` (forced: a force-push or rewind moves it back) and returns its commit. */
  fetch(ref: string): Promise<string>;
  commitInfo(sha: string): Promise<CommitInfo>;
  /** Writes the commit's tree into `dir` (which must not exist); symlinks become plain files. */
  materialise(sha: string, dir: string): Promise<void>;
  /** `git verify-commit` against an allowed-signers file; the error's message says why not. */
  verify(
    sha: string,
    allowedSignersFile: string,
  ): Promise<{ ok: true } | { ok: false; why: string }>;
}

/** Where the fetched ref is kept inside the cache. */
const TIP = 'refs/livekit-gitops/tip';

const ALLOWED_ENV = [
  'GIT_SSH_COMMAND',
  'GIT_TERMINAL_PROMPT',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_INDEX_FILE',
];

export class GitError extends Error {
  override readonly name = 'GitError';
}

export async function openGitRepo(o: GitRepoOptions): Promise<GitRepo> {
  await mkdir(o.dir, { recursive: true });
  const baseEnv: Record<string, string> = { ...o.env };
  for (const k of ['PATH', 'HOME', 'LANG', 'SSH_AUTH_SOCK']) {
    const v = process.env[k];
    if (v !== undefined) baseEnv[k] = v;
  }
  // Git's messages are parsed only for display; English keeps them greppable.
  baseEnv['LC_ALL'] = 'C';

  function git(extraEnv: Record<string, string> = {}): SimpleGit {
    return simpleGit({
      baseDir: o.dir,
      timeout: { block: o.timeoutMs ?? 60_000 },
      // Symlinks in a commit must not point the spec reader at files outside the checkout.
      config: ['core.symlinks=false'],
      allowEnvironment: ALLOWED_ENV,
      unsafe: { allowUnsafeSshCommand: true, allowUnsafeConfigEnvCount: true },
      // Any non-zero exit is an error (simple-git's default needs stderr output too, and
      // `verify-commit` of an unsigned commit fails silently).
      errors: (error, result) => {
        if (error || result.exitCode === 0) return error;
        const text = Buffer.concat([...result.stdErr, ...result.stdOut]);
        return text.length > 0 ? text : Buffer.from(`git exited with code ${result.exitCode}`);
      },
    }).env({ ...baseEnv, ...extraEnv });
  }

  async function run(args: string[], extraEnv?: Record<string, string>): Promise<string> {
    try {
      return await git(extraEnv).raw(args);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      throw new GitError(scrubText(text.trim(), o.secrets) || `git ${args[0] ?? ''} failed`);
    }
  }

  // Not bare: checkout-index wants a work tree, though it writes only under its --prefix.
  await run(['init', '--quiet']);

  return {
    async fetch(ref) {
      // The URL is passed as is; a URL with credentials in it is refused by the config check.
      await run(['fetch', '--quiet', '--no-tags', '--force', '--depth=1', o.url, `+${ref}:${TIP}`]);
      return (await run(['rev-parse', '--verify', `${TIP}^{commit}`])).trim();
    },
    async commitInfo(sha) {
      const out = await run(['show', '-s', '--format=%H%x1f%an%x1f%aI%x1f%s', sha]);
      const [full = sha, author = '', time = '', subject = ''] = out.trim().split('\x1f');
      return { sha: full, author, time, subject };
    },
    async materialise(sha, dir) {
      const index = `${dir}.index`;
      await mkdir(dir);
      try {
        await run(['read-tree', sha], { GIT_INDEX_FILE: index });
        // --prefix rather than --work-tree: the cache stays bare, and the target is one argument.
        await run(['checkout-index', '--all', '--force', `--prefix=${dir}/`], {
          GIT_INDEX_FILE: index,
        });
      } finally {
        await rm(index, { force: true });
      }
    },
    async verify(sha, allowedSignersFile) {
      const signers = `gpg.ssh.allowedSignersFile=${path.resolve(allowedSignersFile)}`;
      try {
        await run(['-c', signers, 'verify-commit', sha]);
        return { ok: true };
      } catch (err) {
        // verify-commit says nothing for an unsigned commit; %G? names the case.
        const mark = await run(['-c', signers, 'show', '-s', '--format=%G?', sha]).catch(() => '');
        return { ok: false, why: verifyFailure(mark.trim(), (err as Error).message) };
      }
    },
  };
}

/** A sentence for `git verify-commit`'s refusal, from the `%G?` mark. */
function verifyFailure(mark: string, message: string): string {
  switch (mark) {
    case 'N':
      return 'the commit is not signed';
    case 'B':
      return 'the commit has a bad signature';
    case 'E':
    case 'U':
      return `the commit is not signed by an allowed signer: ${message}`;
    default:
      return `signature not accepted: ${message}`;
  }
}
