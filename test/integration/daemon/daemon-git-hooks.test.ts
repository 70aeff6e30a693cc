import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { liveKitCliEnv, makeWorkspace, roomYaml, runCli } from '../../harness/cli.ts';
import { makeGitOrigin, makeSigningKey } from '../../harness/git-origin.ts';
import { metricValue, readDaemonStatus, startDaemonChild, waitFor } from './daemon-process.ts';
import { gitTestBed, statusTexts } from './git-bed.ts';

const { env, port, tag, running, later, metadataOf } = gitTestBed();

const HOOK_SECRET = `hook-secret-${tag}-Zq81`;
const TOKEN = `git-token-${tag}-Xk27`;

function pushHook(
  base: string,
  body: object,
  secret = HOOK_SECRET,
  signed = true,
): Promise<Response> {
  const text = JSON.stringify(body);
  const sig = `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
  return fetch(`${base}/hooks/git`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      ...(signed ? { 'x-hub-signature-256': sig } : {}),
    },
    body: text,
  });
}

function gitConfig(url: string, extra = ''): string {
  return [
    'source:',
    '  git:',
    `    url: ${JSON.stringify(url)}`,
    '    path: rooms',
    '    interval: 1h',
    '    auth: { token: { fromEnv: GIT_TOKEN } }',
    '    webhook: { secret: { fromEnv: GIT_HOOK_SECRET } }',
    extra,
  ].join('\n');
}

const successfulFetches = (base: string) =>
  metricValue(base, 'livekit_gitops_git_fetch_total{result="success"}');

describe('daemon: git source push webhook and signed commits', () => {
  it('a signed push webhook applies the push at once; a forged or unsigned one gets 401; other refs are ignored; no credential in any output', async () => {
    const room = `hook-${tag}`;
    const origin = await makeGitOrigin();
    later(() => origin.cleanup());
    await origin.commit({ 'rooms/a.yaml': roomYaml(room, { metadata: 'v1' }) }, 'Add room');
    const ws = await makeWorkspace({ 'livekit-gitops.yaml': gitConfig(origin.bare) });
    const d = await startDaemonChild(ws, env, ['--interval', '1h'], {
      GIT_TOKEN: TOKEN,
      GIT_HOOK_SECRET: HOOK_SECRET,
    });
    running.push(d);
    await waitFor('room at v1', async () => (await metadataOf(room)) === 'v1');
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

    const second = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 'v2' }) },
      'v2',
    );
    const fetches = await successfulFetches(d.base);
    const push = { ref: 'refs/heads/main', after: second };
    expect((await pushHook(d.base, push, 'not-the-secret')).status).toBe(401);
    expect((await pushHook(d.base, push, HOOK_SECRET, false)).status).toBe(401);
    expect((await pushHook(d.base, { ref: 'refs/heads/other', after: second })).status).toBe(202);
    expect(
      await metricValue(d.base, 'livekit_gitops_git_hook_requests_total{outcome="bad_signature"}'),
    ).toBe(2);
    expect(
      await metricValue(d.base, 'livekit_gitops_git_hook_requests_total{outcome="ignored"}'),
    ).toBe(1);
    expect(await successfulFetches(d.base)).toBe(fetches);

    // The interval is an hour: only the webhook can bring v2 in.
    const res = await pushHook(d.base, push);
    expect(res.status).toBe(202);
    await waitFor('room at v2', async () => (await metadataOf(room)) === 'v2');
    await waitFor(
      'v2 applied',
      async () => (await readDaemonStatus(ws))?.git?.applied?.sha === second,
    );

    // A second daemon on the same state stands by: its push hook refuses to fetch.
    const standby = await startDaemonChild(ws, env, ['--interval', '1h'], {
      GIT_TOKEN: TOKEN,
      GIT_HOOK_SECRET: HOOK_SECRET,
    });
    running.push(standby);
    expect((await pushHook(standby.base, push)).status).toBe(503);

    // No credential anywhere: logs, status files, metrics.
    const b64 = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const files = await statusTexts(ws);
    const metrics = await (await fetch(`${d.base}/metrics`)).text();
    const cli = await runCli(['status', '--format', 'json'], { cwd: ws, env: liveKitCliEnv(env) });
    expect(JSON.parse(cli.stdout)).toMatchObject({ daemon: { git: { applied: { sha: second } } } });
    for (const text of [d.logs(), standby.logs(), metrics, cli.stdout, cli.stderr, ...files]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(HOOK_SECRET);
      expect(text).not.toContain(b64);
    }
  });

  it('with verification on, an unsigned or unknown-signed head is refused and a signed one applied', async () => {
    const room = `signed-${tag}`;
    const origin = await makeGitOrigin();
    later(() => origin.cleanup());
    const key = await makeSigningKey(origin.base);
    const stranger = await makeSigningKey(origin.base, 'eve@example.com');
    const unsigned = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 'u' }) },
      'Unsigned',
    );
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': gitConfig(
        origin.bare,
        `    verify: { allowedSigners: { fromFile: ${JSON.stringify(key.allowedSigners)} } }\n`,
      ),
    });
    const d = await startDaemonChild(ws, env, ['--interval', '1h'], {
      GIT_TOKEN: TOKEN,
      GIT_HOOK_SECRET: HOOK_SECRET,
    });
    running.push(d);
    await waitFor(
      'unsigned refused',
      async () => (await readDaemonStatus(ws))?.git?.rejected?.sha === unsigned,
    );
    const s1 = await readDaemonStatus(ws);
    expect(s1?.git?.rejected?.reason).toBe('unverified');
    expect(s1?.git?.rejected?.errors.join('\n')).toContain('not signed');
    expect(s1?.git?.applied).toBeNull();
    const ready = await fetch(`${d.base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('no git commit applied yet');
    expect(await port.listRooms([room])).toEqual([]);

    const bySomeoneElse = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 'eve' }) },
      'Signed by a stranger',
      { sign: stranger },
    );
    expect((await pushHook(d.base, { ref: 'refs/heads/main' })).status).toBe(202);
    await waitFor(
      'stranger refused',
      async () => (await readDaemonStatus(ws))?.git?.rejected?.sha === bySomeoneElse,
    );
    expect((await readDaemonStatus(ws))?.git?.rejected?.reason).toBe('unverified');

    const signed = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 's' }) },
      'Signed',
      {
        sign: key,
      },
    );
    expect((await pushHook(d.base, { ref: 'refs/heads/main' })).status).toBe(202);
    await waitFor('signed commit applied', async () => (await metadataOf(room)) === 's');
    await waitFor(
      'status shows it',
      async () => (await readDaemonStatus(ws))?.git?.applied?.sha === signed,
    );
    expect((await readDaemonStatus(ws))?.git?.rejected ?? null).toBeNull();
  });
});
