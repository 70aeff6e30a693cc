import { describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startGitHttp } from '../../harness/git-http.ts';
import { makeGitOrigin } from '../../harness/git-origin.ts';
import { metricValue, readDaemonStatus, startDaemonChild, waitFor } from './daemon-process.ts';
import { gitTestBed, statusTexts } from './git-bed.ts';

const { env, tag, running, later, metadataOf } = gitTestBed();

describe('daemon: git source over HTTP with a token', () => {
  it('fetches with the token from the environment; a rotated token fails the fetch, keeps the last good commit and never shows the token', async () => {
    const room = `token-${tag}`;
    const token = `ghp_${tag}Q7vLmN2pR5sT8wXz`;
    const origin = await makeGitOrigin();
    later(() => origin.cleanup());
    const first = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 't1' }) },
      'one',
    );
    const http = await startGitHttp(origin.base, { username: 'x-access-token', token });
    later(() => http.stop());
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
    await waitFor('room from the first commit', async () => (await metadataOf(room)) === 't1');
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
    expect(await metadataOf(room)).toBe('t1');

    const b64 = Buffer.from(`x-access-token:${token}`).toString('base64');
    const files = await statusTexts(ws);
    const metrics = await (await fetch(`${d.base}/metrics`)).text();
    for (const text of [d.logs(), metrics, ...files]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(b64);
    }
  });
});
