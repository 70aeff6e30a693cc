/**
 * A real git remote for tests: a bare repository on local disk with a working clone to commit
 * and push from (plain, forced, SSH-signed), and `git daemon` serving the same repository on
 * loopback. Git runs with no user or system config, so the machine's settings do not leak in.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_TERMINAL_PROMPT: '0',
};

export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, ...GIT_ENV } });
  return stdout.trim();
}

export interface SigningKey {
  /** The private key file (`user.signingkey`). */
  file: string;
  /** An allowed-signers file naming its public key. */
  allowedSigners: string;
}

export interface GitOrigin {
  /** The directory holding `origin.git` (git daemon's base path). */
  base: string;
  /** The bare repository's path (a local-disk URL). */
  bare: string;
  /** Writes (or, with null, deletes) files, commits and pushes `branch`; returns the sha. */
  commit(
    files: Record<string, string | null>,
    subject: string,
    opts?: { sign?: SigningKey; branch?: string },
  ): Promise<string>;
  /** Points `branch` at an older commit and force-pushes it. */
  forcePush(sha: string, branch?: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function makeGitOrigin(): Promise<GitOrigin> {
  const base = await mkdtemp(join(tmpdir(), 'lkg-git-'));
  const bare = join(base, 'origin.git');
  const work = join(base, 'work');
  await git(base, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(base, ['init', '--quiet', '--initial-branch=main', work]);
  await git(work, ['remote', 'add', 'origin', bare]);
  let branch = 'main';
  return {
    base,
    bare,
    async commit(files, subject, opts = {}) {
      const want = opts.branch ?? 'main';
      if (want !== branch) {
        await git(work, ['checkout', '--quiet', '-B', want]);
        branch = want;
      }
      for (const [rel, text] of Object.entries(files)) {
        const path = join(work, rel);
        if (text === null) {
          await rm(path, { force: true });
          continue;
        }
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
      }
      await git(work, ['add', '--all']);
      const sign = opts.sign
        ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${opts.sign.file}`]
        : [];
      await git(work, [
        ...sign,
        'commit',
        '--quiet',
        '--allow-empty',
        ...(opts.sign ? ['-S'] : []),
        '-m',
        subject,
      ]);
      await git(work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${want}`]);
      return git(work, ['rev-parse', 'HEAD']);
    },
    async forcePush(sha, to = 'main') {
      await git(work, ['checkout', '--quiet', '-B', to, sha]);
      branch = to;
      await git(work, ['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${to}`]);
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/** An ed25519 key made with ssh-keygen, and an allowed-signers file for it. */
export async function makeSigningKey(
  dir: string,
  principal = 'ada@example.com',
): Promise<SigningKey> {
  const file = join(dir, `signing-${Math.random().toString(36).slice(2, 8)}`);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', principal, '-f', file]);
  const pub = (await readFile(`${file}.pub`, 'utf8')).trim();
  const allowedSigners = `${file}.allowed`;
  await writeFile(allowedSigners, `${principal} namespaces="git" ${pub}\n`);
  return { file, allowedSigners };
}

export interface GitDaemon {
  url: string;
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** `git daemon` on a free loopback port, exporting every repository under `base`. */
export async function startGitDaemon(base: string): Promise<GitDaemon> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'git',
      [
        'daemon',
        '--listen=127.0.0.1',
        `--port=${port}`,
        `--base-path=${base}`,
        '--export-all',
        '--reuseaddr',
        base,
      ],
      { env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    for (let i = 0; i < 50 && child.exitCode === null; i++) {
      if (await accepts(port)) {
        return {
          url: `git://127.0.0.1:${port}/origin.git`,
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
  }
  throw new Error('git daemon did not start on loopback');
}
