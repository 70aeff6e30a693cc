import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/adapters/state/file-backend.ts';
import { createSharedStateLock } from '../../../src/daemon/shared-state-lock.ts';
import { LockHeldError } from '../../../src/core/errors.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Polls `check` every 20 ms until it holds (at most 5 s): file writes are slow under load. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function backend() {
  const cwd = await mkdtemp(join(tmpdir(), 'lkg-shared-lock-'));
  dirs.push(cwd);
  return createFileBackend({ dir: '.state', cwd, staleMs: 5000 });
}

describe('the daemon state lock, taken per reconcile', () => {
  it('concurrent reconciles share one hold; the lock is free once the last is done', async () => {
    const b = await backend();
    const shared = createSharedStateLock({ backend: b, waitMs: 2000 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const ids: string[] = [];
    const first = shared.run(async (lock) => {
      ids.push(lock.id);
      await gate;
    });
    const second = shared.run(async (lock) => {
      ids.push(lock.id);
      await gate;
    });
    // lock.json is written just after the lock directory: wait for the holder to be named.
    await eventually(async () => (await b.currentLock())?.operation === 'daemon');
    release();
    await Promise.all([first, second]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    await eventually(async () => (await b.currentLock()) === undefined);
    // A CI apply takes it now, and the daemon's next reconcile waits (bounded) for it.
    const ci = await b.acquireLock({ operation: 'apply' });
    const waiting = shared.run((lock) => Promise.resolve(lock.info.operation));
    setTimeout(() => void ci.release(), 300);
    expect(await waiting).toBe('daemon');
    await shared.close();
  });

  it('a reconcile that cannot get the lock within the wait fails; the next one tries again', async () => {
    const b = await backend();
    const shared = createSharedStateLock({ backend: b, waitMs: 200 });
    const ci = await b.acquireLock({ operation: 'apply' });
    await expect(shared.run(() => Promise.resolve())).rejects.toBeInstanceOf(LockHeldError);
    await ci.release();
    await expect(shared.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
    await shared.close();
  });
});
