import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/log/logger.ts';
import type { GitSourceStatus } from '../../../src/core/git-commit.ts';
import { checkoutErrors } from '../../../src/daemon/git-source/daemon-git.ts';
import { createGitMetrics } from '../../../src/daemon/git-source/git-metrics.ts';
import { createGitSource } from '../../../src/daemon/git-source/git-source.ts';
import { roomYaml } from '../../harness/cli.ts';
import { makeGitOrigin, type GitOrigin } from '../../harness/git-origin.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function setup(origin: GitOrigin, workDir?: string) {
  const dir = workDir ?? (await mkdtemp(path.join(tmpdir(), 'lkg-gitsrc-')));
  if (!workDir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const applied: string[] = [];
  let last: GitSourceStatus | undefined;
  const source = await createGitSource({
    config: { url: origin.bare, ref: 'main', path: 'rooms', intervalMs: 3_600_000 },
    workDir: dir,
    auth: { env: { GIT_TERMINAL_PROMPT: '0' }, secrets: [] },
    log: createLogger({ pretty: false, level: 'silent' }),
    now: () => new Date(),
    metrics: createGitMetrics(new Registry()),
    validate: (d) => checkoutErrors(d, 'rooms'),
    applied: (c) => {
      applied.push(c.sha);
      return Promise.resolve();
    },
    report: (s) => (last = s),
  });
  cleanups.push(() => source.close());
  return { dir, source, applied, status: () => last };
}

describe('git source', () => {
  it('applies whole commits, holds a refusal until the ref moves, follows rewinds, cleans up', async () => {
    const origin = await makeGitOrigin();
    cleanups.push(() => origin.cleanup());
    const a = await origin.commit({ 'rooms/a.yaml': roomYaml('a', { metadata: '1' }) }, 'one');
    const s = await setup(origin);

    // Triggers arriving during a run coalesce into one more run.
    await Promise.all([s.source.sync('t1'), s.source.sync('t2'), s.source.sync('t3')]);
    expect(s.applied).toEqual([a]);
    expect(await readFile(path.join(s.source.root, 'rooms/a.yaml'), 'utf8')).toContain('"1"');

    const bad = await origin.commit(
      { 'rooms/a.yaml': 'apiVersion: livekit-gitops/v1\nkind: Room\n' },
      'bad',
    );
    await s.source.sync('t');
    expect(s.status()?.rejected).toMatchObject({
      sha: bad,
      reason: 'invalid_specs',
      subject: 'bad',
    });
    expect(s.status()?.rejected?.errors[0]).toMatch(/^rooms\/a\.yaml:\d+:\d+/);
    expect(s.status()?.applied?.sha).toBe(a);
    // The refused head is not checked out again on every fetch.
    await s.source.sync('t');
    expect(s.applied).toEqual([a]);

    const b = await origin.commit({ 'rooms/a.yaml': roomYaml('a', { metadata: '2' }) }, 'two');
    await s.source.sync('t');
    expect(s.status()?.rejected).toBeNull();
    await origin.forcePush(a);
    await s.source.sync('t');
    expect(s.applied).toEqual([a, b, a]);
    expect(await readFile(path.join(s.source.root, 'rooms/a.yaml'), 'utf8')).toContain('"1"');
    // Only the checkout in force is left.
    expect(await readdir(path.join(s.dir, 'checkouts'))).toHaveLength(1);

    // A restart resumes the commit in force before fetching anything.
    await s.source.close();
    const again = await setup(origin, s.dir);
    expect((await again.source.resume())?.sha).toBe(a);
    await again.source.sync('t');
    expect(again.applied).toEqual([]);
  });

  it('an unreachable remote keeps the commit in force and says why', async () => {
    const origin = await makeGitOrigin();
    const a = await origin.commit({ 'rooms/a.yaml': roomYaml('a') }, 'one');
    const s = await setup(origin);
    await s.source.sync('t');
    await origin.cleanup();
    await s.source.sync('t');
    expect(s.status()?.applied?.sha).toBe(a);
    expect(s.status()?.lastFetch).toMatchObject({ result: 'error' });
    expect(s.status()?.lastFetch?.message).toMatch(
      /does not appear to be a git repository|not found/i,
    );
  });
});
