import { TrackSource } from '@livekit/protocol';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disconnectAll, disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';
import { byIdentity, doc, waitForParticipants, writeSpecs } from './helpers.ts';

afterAll(async () => {
  await disposeRtc();
});

describe('moderation rules through plan and apply (real server, real participants)', () => {
  let ws: Workspace;
  let room: string;
  const lk = liveKitEnv();

  beforeEach(async () => {
    ws = await createWorkspace('file');
    room = `${ws.prefix}stage`;
  });

  afterEach(async () => {
    await disconnectAll();
    await ws.cleanup();
  });

  function rule(spec: Record<string, unknown>, name = 'stage-rules'): string {
    return doc('ModerationRule', name, { rooms: { match: [`${ws.prefix}*`] }, ...spec });
  }

  it('removes a banned identity; plan shows it with ! in every format, then plans nothing', async () => {
    await writeSpecs(ws.dir, [
      rule({
        rules: [{ participants: { identity: ['banned-*'] }, remove: true, reason: 'spam' }],
      }),
    ]);
    await joinParticipant(lk, { room, identity: 'alice' });
    await joinParticipant(lk, { room, identity: 'banned-bob' });
    const address = `moderation.stage-rules.${room}.banned-bob`;

    const text = await ws.cli(['plan', '--detailed-exitcode']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`! ${address}`);
    expect(text.stdout).not.toContain('alice');
    const json = JSON.parse((await ws.cli(['plan', '--format', 'json'])).stdout) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    expect(json.resource_changes.map((c) => c.address)).toEqual([address]);
    const markdown = await ws.cli(['plan', '--format', 'markdown']);
    expect(markdown.stdout).toContain(address);

    const applied = await ws.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`${address}: done`);
    const left = await waitForParticipants(room, (ps) => !byIdentity(ps, 'banned-bob'));
    expect(left.map((p) => p.identity)).toEqual(['alice']);

    const again = await ws.cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. LiveKit matches the specs.');
  });

  it('gives a permissions rule exactly its permissions; a later publish does not get through', async () => {
    await writeSpecs(ws.dir, [
      rule({
        rules: [
          {
            participants: { identity: ['viewer-*'] },
            permissions: { canPublish: false, canSubscribe: true, canPublishData: false },
          },
        ],
      }),
    ]);
    const viewer = await joinParticipant(lk, { room, identity: 'viewer-1' });

    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);

    const ps = await waitForParticipants(
      room,
      (list) => byIdentity(list, 'viewer-1')?.permission?.canPublish === false,
    );
    expect(byIdentity(ps, 'viewer-1')?.permission).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
    });
    const attempt = await viewer.publishAudio().then(
      () => 'published',
      () => 'refused',
    );
    const after = await waitForParticipants(room, (list) =>
      (byIdentity(list, 'viewer-1')?.tracks ?? []).every(
        (t) => t.source !== TrackSource.MICROPHONE,
      ),
    );
    expect(['published', 'refused']).toContain(attempt);
    expect(byIdentity(after, 'viewer-1')?.tracks ?? []).toEqual([]);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('mutes a published microphone once: the second plan has nothing to do', async () => {
    await writeSpecs(ws.dir, [
      rule({ rules: [{ participants: { identity: ['*'] }, mute: ['microphone'] }] }),
    ]);
    await joinParticipant(lk, { room, identity: 'talker', publishAudio: true });
    await waitForParticipants(room, (ps) => (byIdentity(ps, 'talker')?.tracks.length ?? 0) > 0);

    const applied = await ws.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`moderation.stage-rules.${room}.talker: done`);

    const ps = await waitForParticipants(
      room,
      (list) => byIdentity(list, 'talker')?.tracks[0]?.muted === true,
    );
    expect(byIdentity(ps, 'talker')?.tracks.map((t) => t.muted)).toEqual([true]);
    const again = await ws.cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('maxPublishers: 2 with three publishers takes publishing from the third only', async () => {
    await writeSpecs(ws.dir, [rule({ limits: { maxPublishers: 2 } })]);
    for (const identity of ['first', 'second', 'third']) {
      await joinParticipant(lk, { room, identity, publishAudio: true });
      await waitForParticipants(room, (ps) => (byIdentity(ps, identity)?.tracks.length ?? 0) > 0);
    }

    const applied = await ws.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);

    const ps = await waitForParticipants(
      room,
      (list) => byIdentity(list, 'third')?.permission?.canPublish === false,
    );
    expect(byIdentity(ps, 'first')?.permission?.canPublish).toBe(true);
    expect(byIdentity(ps, 'second')?.permission?.canPublish).toBe(true);
    expect(byIdentity(ps, 'third')?.permission?.canPublish).toBe(false);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('applies a rule edited while participants are in the room, then converges', async () => {
    await writeSpecs(ws.dir, [
      rule({ rules: [{ participants: { identity: ['*'] }, permissions: { canPublish: true } }] }),
    ]);
    await joinParticipant(lk, { room, identity: 'p1' });
    await joinParticipant(lk, { room, identity: 'p2' });
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);

    await writeSpecs(ws.dir, [
      rule({
        rules: [
          {
            participants: { identity: ['*'] },
            permissions: { canPublish: false, canUpdateMetadata: true },
          },
        ],
      }),
    ]);
    const planned = await ws.cli(['plan']);
    expect(planned.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 2 other.');
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);

    const ps = await waitForParticipants(room, (list) =>
      list.every((p) => p.permission?.canPublish === false && p.permission.canUpdateMetadata),
    );
    expect(ps.map((p) => [p.identity, p.permission?.canPublish])).toEqual(
      expect.arrayContaining([
        ['p1', false],
        ['p2', false],
      ]),
    );
    const again = await ws.cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. LiveKit matches the specs.');
  });

  it('leaves an agent alone under identity "*" without kind: [agent]', async () => {
    await writeSpecs(ws.dir, [
      rule({ rules: [{ participants: { identity: ['*'] }, remove: true }] }),
    ]);
    await joinParticipant(lk, { room, identity: 'agent-1', kind: 'agent' });
    await joinParticipant(lk, { room, identity: 'human' });

    const applied = await ws.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toContain('agent-1');

    const ps = await waitForParticipants(room, (list) => !byIdentity(list, 'human'));
    expect(ps.map((p) => p.identity)).toEqual(['agent-1']);
  });
});
