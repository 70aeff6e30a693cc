/**
 * The file backend's leadership lease: a `leader.lock/` directory (mkdir is atomic) holding
 * `holder.json`. The holder renews by touching the directory, so its mtime is when the lease was
 * last renewed; a directory not touched for the TTL is stale and may be taken over (moved aside
 * by rename, which only one taker wins, then created anew). A holder that recorded a process on
 * this host that no longer exists frees the lease at once (a SIGKILLed daemon restarted, or a
 * standby on the same host, leads without waiting for the TTL). Renewal times are taken before
 * the touch, so the fenced lease's deadline is never later than what other processes see.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { LockInfo } from '../../core/errors.ts';
import type { LockRequest } from './backend.ts';
import { startLease, type Lease, type LeaseTiming } from './lease.ts';
import { holderGone, newLockInfo, parseLockInfo } from './lock-info.ts';

function isCode(err: unknown, code: string): boolean {
  return (err as { code?: unknown } | null)?.code === code;
}

export interface FileLeadership {
  acquireLeadership(op: LockRequest, timing: LeaseTiming): Promise<Lease | undefined>;
  currentLeader(): Promise<LockInfo | undefined>;
}

export function createFileLeadership(dir: string): FileLeadership {
  const lockDir = join(dir, 'leader.lock');
  const infoPath = join(lockDir, 'holder.json');

  async function holder(): Promise<{ info: LockInfo | undefined; mtimeMs: number } | undefined> {
    try {
      const s = await stat(lockDir);
      const text = await readFile(infoPath, 'utf8').catch(() => null);
      return { info: parseLockInfo(text), mtimeMs: s.mtimeMs };
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  /** mkdir, or (when the directory is stale) move it aside and mkdir once more. */
  async function take(ttlMs: number): Promise<boolean> {
    try {
      await mkdir(lockDir);
      return true;
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
    const h = await holder();
    if (h && Date.now() - h.mtimeMs <= ttlMs && !holderGone(h.info)) return false;
    const aside = `${lockDir}.stale-${randomUUID()}`;
    try {
      await rename(lockDir, aside);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return false;
      throw err;
    }
    // Another taker may have replaced the directory we judged between our look and the rename:
    // then it is that taker's live lease; put it back and let it lead.
    const moved = parseLockInfo(
      await readFile(join(aside, 'holder.json'), 'utf8').catch(() => null),
    );
    if (h?.info && moved?.id !== h.info.id) {
      await rename(aside, lockDir).catch(() => undefined);
      return false;
    }
    await rm(aside, { recursive: true, force: true });
    try {
      await mkdir(lockDir);
      return true;
    } catch (err) {
      if (isCode(err, 'EEXIST')) return false;
      throw err;
    }
  }

  return {
    async acquireLeadership(op, timing) {
      await mkdir(dir, { recursive: true });
      const sent = Date.now();
      if (!(await take(timing.ttlMs))) return undefined;
      const info = newLockInfo(op);
      await writeFileAtomic(infoPath, JSON.stringify(info, null, 2) + '\n', { fsync: true });
      const ours = async (): Promise<boolean> => (await holder())?.info?.id === info.id;
      return startLease(
        {
          info,
          async renew() {
            const at = Date.now();
            if (!(await ours())) return false;
            await utimes(lockDir, at / 1000, at / 1000);
            return at;
          },
          async release() {
            if (await ours()) await rm(lockDir, { recursive: true, force: true });
          },
        },
        timing,
        sent,
      );
    },
    async currentLeader() {
      return (await holder())?.info;
    },
  };
}
