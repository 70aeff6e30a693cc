import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/adapters/state/file-backend.ts';
import { describeStateBackendContract } from '../../contract/state-backend.contract.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'lkg-state-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('adapters/state/file-backend', { timeout: 30_000 }, () => {
  describeStateBackendContract('file', async () => ({
    cwd: await tempDir(),
    config: { backend: 'file', lockTtlMs: 2_000 },
  }));

  it('keeps state.json and lock.json under the state dir, readable by people', async () => {
    const cwd = await tempDir();
    const backend = createFileBackend({ dir: 'state-here', cwd, staleMs: 2_000 });
    await backend.read();

    const lock = await backend.acquireLock({ operation: 'plan', who: 'ann@laptop' });
    const info = JSON.parse(
      await readFile(join(cwd, 'state-here', 'lock.json'), 'utf8'),
    ) as unknown;
    await lock.release();
    const files = await readdir(join(cwd, 'state-here'));

    expect(info).toEqual(lock.info);
    expect(files.sort()).toEqual(['state.json']);
    expect(backend.describe()).toBe('file state-here/state.json');
  });

  it('refuses a state file that is not a state document', async () => {
    const cwd = await tempDir();
    const backend = createFileBackend({ dir: '.', cwd });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(cwd, 'state.json'), '{"hello": 1}');

    await expect(backend.read()).rejects.toThrow(/not a livekit-gitops state document/);
  });
});
