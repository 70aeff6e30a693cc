/**
 * The directories commits are written out to, and the one symlink that says which is in force.
 * A commit goes into a new directory; switching is one rename of a fresh symlink over `current`
 * (atomic on POSIX), so a reader sees the old tree or the new one, never a mix; directories no
 * longer linked are removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { AppliedCommit } from '../../core/git-commit.ts';

export interface Checkouts {
  /** The symlink readers read through. */
  current: string;
  /** A fresh, not yet existing directory for `sha`. */
  fresh(sha: string): string;
  switchTo(dir: string, commit: AppliedCommit): Promise<void>;
  /** The commit `current` points at, from an earlier run; undefined when there is none. */
  inForce(): Promise<AppliedCommit | undefined>;
  /** Removes every checkout but the one in force (and directories left by a crash). */
  cleanup(): Promise<void>;
  discard(dir: string): Promise<void>;
}

export async function openCheckouts(workDir: string): Promise<Checkouts> {
  const root = path.join(workDir, 'checkouts');
  const current = path.join(workDir, 'current');
  const record = path.join(workDir, 'current.json');
  await mkdir(root, { recursive: true });

  async function target(): Promise<string | undefined> {
    const link = await readlink(current).catch(() => undefined);
    return link === undefined ? undefined : path.resolve(workDir, link);
  }

  return {
    current,
    fresh: (sha) => path.join(root, `${sha.slice(0, 12)}-${randomBytes(4).toString('hex')}`),
    async switchTo(dir, commit) {
      const tmp = `${current}.${randomBytes(4).toString('hex')}`;
      await symlink(path.relative(workDir, dir), tmp);
      await rename(tmp, current);
      await writeFileAtomic(record, JSON.stringify(commit) + '\n');
    },
    async inForce() {
      const dir = await target();
      if (!dir) return undefined;
      try {
        const commit = JSON.parse(await readFile(record, 'utf8')) as AppliedCommit;
        return path.basename(dir).startsWith(commit.sha.slice(0, 12)) ? commit : undefined;
      } catch {
        return undefined;
      }
    },
    async cleanup() {
      const keep = await target();
      for (const name of await readdir(root)) {
        const dir = path.join(root, name);
        if (dir !== keep) await rm(dir, { recursive: true, force: true });
      }
    },
    discard: (dir) => rm(dir, { recursive: true, force: true }),
  };
}
