import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { LockHeldError, UsageError, type LockInfo } from '../../core/errors.ts';
import { emptyState, type StateDocument } from '../../core/inventory.ts';
import type { AcquireOptions, LockRequest, StateBackend, StateLock } from './backend.ts';
import { holderGone, newLockInfo, parseLockInfo, retryUntil } from './lock-info.ts';
import { parseStateDocument } from './parse-state.ts';
import { createStateLock } from './state-lock.ts';
import { createFileLeadership } from './file-leader.ts';

export interface FileBackendOptions {
  /** The state directory (absolute, or relative to `cwd`). */
  dir: string;
  cwd: string;
  /**
   * A lock whose holder has not refreshed it for this long is stale and may be taken (the
   * holder refreshes it every quarter of this). proper-lockfile's floor is 2 s.
   */
  staleMs?: number;
}

export const DEFAULT_FILE_STALE_MS = 20_000;

function isCode(err: unknown, code: string): boolean {
  return (err as { code?: unknown } | null)?.code === code;
}

/** `.livekit-gitops/state.json`, written atomically; locked with a heartbeat-refreshed lock dir. */
export function createFileBackend(opts: FileBackendOptions): StateBackend {
  const dir = resolve(opts.cwd, opts.dir);
  const statePath = join(dir, 'state.json');
  const infoPath = join(dir, 'lock.json');
  const lockPath = join(dir, 'state.lock');
  const stale = Math.max(opts.staleMs ?? DEFAULT_FILE_STALE_MS, 2000);
  const update = Math.max(Math.floor(stale / 4), 1000);
  const shown = relative(opts.cwd, statePath) || statePath;

  async function readInfo(): Promise<LockInfo | undefined> {
    try {
      return parseLockInfo(await readFile(infoPath, 'utf8'));
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  // Create-if-absent without a lock: link() fails if another process created it first, and the
  // linked file is complete, so no reader ever sees a half-written first state.
  async function createInitial(): Promise<void> {
    await mkdir(dir, { recursive: true });
    const tmp = `${statePath}.init-${randomUUID()}`;
    await writeFileAtomic(tmp, JSON.stringify(emptyState(randomUUID()), null, 2) + '\n', {
      fsync: true,
    });
    try {
      await link(tmp, statePath);
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async function read(): Promise<StateDocument> {
    for (let i = 0; i < 2; i++) {
      try {
        return parseStateDocument(await readFile(statePath, 'utf8'), shown);
      } catch (err) {
        if (!isCode(err, 'ENOENT')) throw err;
        await createInitial();
      }
    }
    throw new Error(`could not create ${shown}`);
  }

  /**
   * A lock whose holder process on this host is gone is broken at once (moved aside by rename,
   * which one taker wins). Should it race a new holder that has not yet written lock.json, that
   * holder finds lock.json changed before its first write and refuses it (`store` below).
   */
  async function breakIfHolderGone(): Promise<boolean> {
    if (!holderGone(await readInfo())) return false;
    const aside = `${lockPath}.gone-${randomUUID()}`;
    try {
      await rename(lockPath, aside);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return true;
      throw err;
    }
    await rm(aside, { recursive: true, force: true });
    return true;
  }

  async function tryLock(op: LockRequest, retakeOnce = true): Promise<StateLock | undefined> {
    let releaseFile: () => Promise<void>;
    let markLost: (e: Error) => void = () => undefined;
    try {
      releaseFile = await lockfile.lock(statePath, {
        stale,
        update,
        realpath: false,
        retries: 0,
        lockfilePath: lockPath,
        onCompromised: (err) => markLost(err),
      });
    } catch (err) {
      if (!isCode(err, 'ELOCKED')) throw err;
      if (retakeOnce && (await breakIfHolderGone())) return tryLock(op, false);
      return undefined;
    }
    const info = newLockInfo(op);
    await writeFileAtomic(infoPath, JSON.stringify(info, null, 2) + '\n', { fsync: true });
    const handle = createStateLock({
      info,
      load: read,
      async store(doc) {
        // The lock dir is only refreshed periodically; lock.json tells us at once if another
        // run broke our lock and took it.
        if ((await readInfo())?.id !== info.id) return false;
        await writeFileAtomic(statePath, JSON.stringify(doc, null, 2) + '\n', { fsync: true });
        return true;
      },
      async release() {
        clearInterval(probe);
        if ((await readInfo())?.id === info.id) await rm(infoPath, { force: true });
        await releaseFile().catch(() => undefined);
      },
    });
    markLost = (e) => handle.markLost(e);
    // proper-lockfile refreshes the lock dir's mtime; reading it back tells health checks the
    // refresh still happens (a hung file system stops both).
    const probe = setInterval(() => {
      stat(lockPath).then(
        (s) => handle.renewed(s.mtimeMs),
        () => undefined,
      );
    }, update);
    probe.unref();
    return handle.lock;
  }

  const leadership = createFileLeadership(dir);

  async function currentLock(): Promise<LockInfo | undefined> {
    const held = await lockfile.check(statePath, {
      stale,
      realpath: false,
      lockfilePath: lockPath,
    });
    if (!held) return undefined;
    return (
      (await readInfo()) ?? { id: 'unknown', who: 'unknown', operation: 'unknown', created: '' }
    );
  }

  return {
    describe: () => `file ${shown}`,
    read,
    async acquireLock(op, acquire: AcquireOptions = {}) {
      await mkdir(dir, { recursive: true });
      const lock = await retryUntil(() => tryLock(op), acquire.waitMs ?? 0);
      if (lock) return lock;
      const holder = await readInfo();
      throw new LockHeldError(
        `the state (${shown}) is locked by another run; if that run is gone, break the lock ` +
          `with: livekit-gitops state unlock ${holder?.id ?? '<LOCK_ID>'} --force`,
        holder,
      );
    },
    async forceUnlock(id) {
      const holder = await currentLock();
      const recorded = holder ?? (await readInfo());
      if (recorded?.id !== id) {
        throw new UsageError(
          `lock id ${id} does not match the current lock (${recorded?.id ?? 'none held'})`,
        );
      }
      await rm(infoPath, { force: true });
      await rm(lockPath, { recursive: true, force: true });
    },
    currentLock,
    acquireLeadership: (op, timing) => leadership.acquireLeadership(op, timing),
    currentLeader: () => leadership.currentLeader(),
    async close() {},
  };
}
