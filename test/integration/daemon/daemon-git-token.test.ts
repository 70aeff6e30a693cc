import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startGitHttp, type GitHttpServer } from '../../harness/git-http.ts';
import { makeGitOrigin, type GitOrigin } from '../../harness/git-origin.ts';
import {
  metricValue,
  readDaemonStatus,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const origins: GitOrigin[] = [];
const servers: GitHttpServer[] = [];

afterEach(async () => {
  await stopDaemons(running);
  for (const s of servers.splice(0)) await s.stop();
  for (const o of origins.splice(0)) await o.cleanup();
});
afterAll(async () => {
  await deleteTaggedRooms();
});

describe('daemon: git source over HTTP with a token', () => {
  it('fetches with the token from the environment; a rotated token fails the fetch, keeps the last good commit and never shows the token', async () => {
    const room = `token-${tag}`;
    const token = `ghp_${tag}Q7vLmN2pR5sT8wXz`;
    const origin = await makeGitOrigin();
    origins.push(origin);
    const first = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 't1' }) },
      'one',
    );
    const http = await startGitHttp(origin.base, { username: 'x-access-token', token });
    servers.push(http);
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': [
        'source:',
        '  git:',
        `    url: ${http.url}`,
        '    path: rooms',
        '    interval: 1s',
        '    auth: { token: { fromEnv: GIT_TOKEN } }',
        '',
      ].join('\n'),
    });
    const d = await startDaemonChild(ws, env, ['--interval', '1h'], { GIT_TOKEN: token });
    running.push(d);
    await waitFor(
      'room from the first commit',
      async () => (await port.listRooms([room]))[0]?.metadata === 't1',
    );
    await waitFor('applied', async () => (await readDaemonStatus(ws))?.git?.applied?.sha === first);

    // The server now wants another token: fetches fail, the commit in force stays.
    const refusedBefore = http.refused();
    http.setToken('rotated-elsewhere');
    await origin.commit({ 'rooms/a.yaml': roomYaml(room, { metadata: 't2' }) }, 'two');
    await waitFor(
      'fetch failure reported',
      async () => (await readDaemonStatus(ws))?.git?.lastFetch?.result === 'error',
    );
    expect(http.refused()).toBeGreaterThan(refusedBefore);
    const s = await readDaemonStatus(ws);
    expect(s?.git?.applied?.sha).toBe(first);
    expect(s?.git?.lastFetch?.message).toMatch(/Authentication failed|401|could not read/i);
    expect(await metricValue(d.base, 'livekit_gitops_git_up')).toBe(0);
    expect((await port.listRooms([room]))[0]?.metadata).toBe('t1');

    const b64 = Buffer.from(`x-access-token:${token}`).toString('base64');
    const statusDir = join(ws, 'status');
    const files = await Promise.all(
      (await readdir(statusDir)).map((f) => readFile(join(statusDir, f), 'utf8')),
    );
    const metrics = await (await fetch(`${d.base}/metrics`)).text();
    for (const text of [d.logs(), metrics, ...files]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(b64);
    }
  });
});
