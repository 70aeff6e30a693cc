import { describe, expect, it } from 'vitest';
import { liveKitCliEnv, makeWorkspace, roomYaml, runCli } from '../../harness/cli.ts';
import { makeGitOrigin, startGitDaemon } from '../../harness/git-origin.ts';
import {
  metricValue,
  readDaemonStatus,
  readRoomStatus,
  startDaemonChild,
  waitFor,
} from './daemon-process.ts';
import { gitTestBed } from './git-bed.ts';
import { startReceiver } from '../../unit/notify/receiver.ts';

const { env, port, tag, running, later, metadataOf } = gitTestBed();

describe('daemon: git source over git daemon', () => {
  it('applies pushes within an interval, refuses an invalid commit, follows a force-push and keeps the last good commit when the remote is gone', async () => {
    const room = `git-a-${tag}`;
    const origin = await makeGitOrigin();
    later(() => origin.cleanup());
    const first = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 'v1' }) },
      'Add room a',
    );
    const served = await startGitDaemon(origin.base);
    later(() => served.stop());
    const rx = await startReceiver();
    later(() => rx.close());
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': [
        'prune: true',
        'source:',
        '  git:',
        '    url: placeholder',
        'notifications:',
        '  sinks:',
        `    - webhook: { url: "${rx.url}", secret: { fromEnv: NOTIFY_HMAC } }`,
        '      events: [failed]',
        '',
      ].join('\n'),
    });
    // The flags beat the config file's url, path and interval.
    const d = await startDaemonChild(
      ws,
      env,
      ['--git-url', served.url, '--git-path', 'rooms', '--git-interval', '1s', '--interval', '1h'],
      { NOTIFY_HMAC: `hmac-${tag}` },
    );
    running.push(d);

    await waitFor('room at v1', async () => (await metadataOf(room)) === 'v1');
    await waitFor('v1 commit in status', async () => {
      const s = await readDaemonStatus(ws);
      return (
        s?.git?.applied?.sha === first &&
        (await readRoomStatus(ws, room))?.specCommit?.sha === first
      );
    });
    const s1 = await readDaemonStatus(ws);
    expect(s1?.git?.applied).toMatchObject({ author: 'Ada Tester', subject: 'Add room a' });
    expect(s1?.git?.ref).toBe('refs/heads/main');

    // A push is applied by the next interval fetch.
    const second = await origin.commit(
      { 'rooms/a.yaml': roomYaml(room, { metadata: 'v2' }) },
      'Room a v2',
    );
    await waitFor('room at v2', async () => (await metadataOf(room)) === 'v2');
    await waitFor(
      'v2 applied',
      async () => (await readDaemonStatus(ws))?.git?.applied?.sha === second,
    );

    // An invalid commit is refused whole: the room keeps v2 (also the valid file beside it is not
    // applied), the failing sha and its errors are reported.
    const other = `git-b-${tag}`;
    const bad = await origin.commit(
      {
        'rooms/a.yaml': roomYaml(room, { metadata: 'v3', maxParticipants: -1 }),
        'rooms/b.yaml': roomYaml(other, { metadata: 'b1' }),
      },
      'Break room a',
    );
    await waitFor(
      'bad commit refused',
      async () => (await readDaemonStatus(ws))?.git?.rejected?.sha === bad,
    );
    const s2 = await readDaemonStatus(ws);
    expect(s2?.git?.applied?.sha).toBe(second);
    expect(s2?.git?.rejected?.reason).toBe('invalid_specs');
    expect(s2?.git?.rejected?.errors.join('\n')).toMatch(/rooms\/a\.yaml:\d+:\d+/);
    expect(
      await metricValue(
        d.base,
        `livekit_gitops_git_rejected_commit{sha="${bad}",reason="invalid_specs"}`,
      ),
    ).toBe(1);
    expect(d.logs()).toContain(bad);
    // ...and notified once, as a `failed` event naming the commit and the file.
    await waitFor('refusal notified', () => rx.received.length > 0);
    const refusals = rx.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: { message: string } },
    );
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.type).toBe('failed');
    expect(refusals[0]?.data.message).toContain(bad.slice(0, 12));
    expect(refusals[0]?.data.message).toMatch(/rooms\/a\.yaml:\d+:\d+/);
    expect(await metadataOf(room)).toBe('v2');
    expect(await port.listRooms([other])).toEqual([]);

    // The next good commit is applied, and the refusal cleared.
    const third = await origin.commit(
      {
        'rooms/a.yaml': roomYaml(room, { metadata: 'v3' }),
        'rooms/b.yaml': roomYaml(other, { metadata: 'b1' }),
      },
      'Fix room a',
    );
    await waitFor('room at v3', async () => (await metadataOf(room)) === 'v3');
    await waitFor(
      'v3 applied',
      async () => (await readDaemonStatus(ws))?.git?.applied?.sha === third,
    );
    expect((await readDaemonStatus(ws))?.git?.rejected).toBeNull();
    expect((await readRoomStatus(ws, other))?.specCommit?.sha).toBe(third);

    // A force-push back to an older commit: the ref is what counts (room b is pruned).
    await origin.forcePush(second);
    await waitFor('room back at v2', async () => (await metadataOf(room)) === 'v2');
    await waitFor(
      'v2 applied again',
      async () => (await readDaemonStatus(ws))?.git?.applied?.sha === second,
    );
    await waitFor('room b pruned', async () => (await port.listRooms([other])).length === 0);
    expect((await readRoomStatus(ws, room))?.specCommit?.sha).toBe(second);

    // The remote goes away: the fetch error is reported, the last good commit stays in force.
    await served.stop();
    await waitFor(
      'fetch error reported',
      async () => (await readDaemonStatus(ws))?.git?.lastFetch?.result === 'error',
    );
    const s3 = await readDaemonStatus(ws);
    expect(s3?.git?.applied?.sha).toBe(second);
    expect(await metricValue(d.base, 'livekit_gitops_git_up')).toBe(0);
    expect(await metadataOf(room)).toBe('v2');
    expect((await fetch(`${d.base}/healthz`)).status).toBe(200);
    expect(d.child.exitCode).toBeNull();

    // `livekit-gitops status` shows the applied commit, the failing fetch and the room's commit.
    const table = await runCli(['status'], { cwd: ws, env: liveKitCliEnv(env) });
    expect(table.stdout).toContain(`applied:  ${second.slice(0, 12)} "Room a v2" by Ada Tester`);
    expect(table.stdout).toContain('last fetch failed');
    const detail = await runCli(['status', room], { cwd: ws, env: liveKitCliEnv(env) });
    expect(detail.stdout).toContain(`spec commit:  ${second.slice(0, 12)} "Room a v2"`);
  });
});
