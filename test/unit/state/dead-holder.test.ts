import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/adapters/state/file-backend.ts';
import { holderGone } from '../../../src/adapters/state/lock-info.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function holder(pid: number, host = hostname()): string {
  return JSON.stringify({ id: 'old', who: 'x@y', operation: 'daemon', created: '', pid, host });
}

// Long TTLs: only the gone-holder rule can free these locks within the test.
const timing = { ttlMs: 60_000, renewMs: 10_000, marginMs: 1_000, commandTimeoutMs: 1_000 };

describe('file backend: a lock whose holder process is gone', () => {
  it('tells a gone process on this host from a live one and from another host', () => {
    const pid = deadPid();
    const info = { id: 'a', who: 'w', operation: 'o', created: '' };
    expect(holderGone({ ...info, pid, host: hostname() })).toBe(true);
    expect(holderGone({ ...info, pid: process.pid, host: hostname() })).toBe(false);
    expect(holderGone({ ...info, pid, host: `not-${hostname()}` })).toBe(false);
    expect(holderGone(info)).toBe(false);
  });

  it('takes the leadership lease at once from a gone holder, not from a live one', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'lkg-dead-'));
    dirs.push(cwd);
    const lockDir = join(cwd, 'st', 'leader.lock');
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, 'holder.json'), holder(process.pid));
    const backend = createFileBackend({ dir: 'st', cwd });
    expect(await backend.acquireLeadership({ operation: 'daemon' }, timing)).toBeUndefined();

    await writeFile(join(lockDir, 'holder.json'), holder(deadPid()));
    const lease = await backend.acquireLeadership({ operation: 'daemon' }, timing);
    expect(lease?.info.pid).toBe(process.pid);
    expect((await backend.currentLeader())?.id).toBe(lease?.id);
    await lease?.release();
  });

  it('breaks the state lock at once when its holder process is gone', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'lkg-dead-'));
    dirs.push(cwd);
    const backend = createFileBackend({ dir: 'st', cwd, staleMs: 60_000 });
    await backend.read();
    const held = await backend.acquireLock({ operation: 'apply' });
    // Recorded as held by a process that no longer exists (as after a SIGKILL).
    await writeFile(join(cwd, 'st', 'lock.json'), holder(deadPid()));
    const lock = await backend.acquireLock({ operation: 'apply' });
    expect(lock.info.pid).toBe(process.pid);
    // The broken holder's writes are refused: lock.json names the new holder.
    await expect(held.write(await backend.read())).rejects.toThrow();
    await lock.release();
    await held.release();
  });
});
