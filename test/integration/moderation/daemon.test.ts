/**
 * Moderation through the daemon's webhook path: `livekit-gitops daemon` as a child process, LiveKit's
 * webhooks forwarded to it by the relay, real participants joined with rtc-node. The daemon runs
 * with a one-hour resync, so what happens here is driven by webhooks and spec file edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusEvent } from '../../../src/adapters/status/room-status.ts';
import { makeWorkspace } from '../../harness/cli.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { addRelayTarget, removeRelayTarget } from '../../harness/webhook-client.ts';
import {
  readRoomStatus,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from '../daemon/daemon-process.ts';
import { daemonTestBed } from '../daemon/test-bed.ts';
import { byIdentity, doc, roomService, waitForParticipants, writeSpecs } from './helpers.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const rooms = {
  ban: `mod-d-ban-${tag}`,
  mute: `mod-d-mute-${tag}`,
  edit: `mod-d-edit-${tag}`,
};
let ws: string;
let daemon: DaemonChild;

function specs(editRule: Record<string, unknown>): string[] {
  return [
    doc('ModerationRule', 'ban', {
      rooms: { names: [rooms.ban] },
      rules: [{ participants: { identity: ['banned-*'] }, remove: true, reason: 'banned' }],
    }),
    doc('ModerationRule', 'quiet', {
      rooms: { names: [rooms.mute] },
      rules: [{ participants: { identity: ['speaker-*'] }, mute: ['microphone'] }],
    }),
    doc('ModerationRule', 'stage', {
      rooms: { names: [rooms.edit] },
      rules: [{ participants: { identity: ['viewer-*'] }, ...editRule }],
    }),
  ];
}

async function moderationEvents(room: string, participant: string): Promise<StatusEvent[]> {
  const s = await readRoomStatus(ws, room);
  return (s?.events ?? []).filter((e) => e.event === 'moderation' && e.participant === participant);
}

beforeAll(async () => {
  ws = await makeWorkspace({});
  await writeSpecs(ws, specs({ permissions: { canPublishData: false } }));
  daemon = await startDaemonChild(ws, env, ['--interval', '1h']);
  await addRelayTarget(env.relayUrl, daemon.webhookUrl);
  await waitFor('daemon ready', async () => (await fetch(`${daemon.base}/readyz`)).status === 200);
});

afterAll(async () => {
  await disposeRtc();
  await removeRelayTarget(env.relayUrl, daemon.webhookUrl);
  expect(await daemon.stop()).toBe(0);
  await deleteTaggedRooms();
});

describe('moderation through the running daemon (webhooks, real participants)', () => {
  it('removes a banned identity that joins, and the status file records rule, participant, effect, result', async () => {
    const alice = await joinParticipant(env, { room: rooms.ban, identity: 'alice' });
    await joinParticipant(env, { room: rooms.ban, identity: 'banned-bob' });

    const left = await waitForParticipants(rooms.ban, (ps) => !byIdentity(ps, 'banned-bob'));
    expect(left.map((p) => p.identity)).toEqual(['alice']);
    await waitFor('the removal in the status events', async () => {
      return (await moderationEvents(rooms.ban, 'banned-bob')).length > 0;
    });
    const [event] = await moderationEvents(rooms.ban, 'banned-bob');
    expect(event).toMatchObject({
      id: `moderation.ban.${rooms.ban}.banned-bob`,
      event: 'moderation',
      participant: 'banned-bob',
      rule: 'ban.rules[0]',
      effect: 'remove',
      result: 'ok',
    });
    expect(Date.parse(event?.time ?? '')).not.toBeNaN();
    // alice matched no rule: nothing was done to her.
    expect(await moderationEvents(rooms.ban, 'alice')).toEqual([]);
    await alice.disconnect();
  });

  it('mutes a published microphone matched by `mute`, once, across later reconciles of the room', async () => {
    const speaker = await joinParticipant(env, {
      room: rooms.mute,
      identity: 'speaker-1',
      publishAudio: true,
    });
    const muted = await waitForParticipants(rooms.mute, (ps) =>
      (byIdentity(ps, 'speaker-1')?.tracks ?? []).some((t) => t.muted),
    );
    const tracks = byIdentity(muted, 'speaker-1')?.tracks ?? [];
    expect(tracks).toHaveLength(1);
    expect(tracks[0]?.muted).toBe(true);

    // Another join makes the daemon reconcile the room again: the muted track is left alone.
    const before = (await readRoomStatus(ws, rooms.mute))?.lastReconcile?.time ?? '';
    const listener = await joinParticipant(env, { room: rooms.mute, identity: 'listener' });
    await waitFor('a reconcile after the listener joined', async () => {
      const s = await readRoomStatus(ws, rooms.mute);
      const joined = s?.events.find(
        (e) => e.event === 'participant_joined' && e.participant === 'listener',
      );
      return joined !== undefined && (s?.lastReconcile?.time ?? '') > before;
    });
    const events = await moderationEvents(rooms.mute, 'speaker-1');
    expect(events.map((e) => [e.rule, e.effect, e.result])).toEqual([
      ['quiet.rules[0]', 'mute microphone', 'ok'],
    ]);
    const applied = daemon
      .logs()
      .split('\n')
      .filter(
        (l) => l.includes(`moderation.quiet.${rooms.mute}.speaker-1`) && l.includes('applied'),
      );
    expect(applied).toHaveLength(1);
    const still = await roomService().listParticipants(rooms.mute);
    expect(byIdentity(still, 'speaker-1')?.tracks[0]?.muted).toBe(true);
    await Promise.all([speaker.disconnect(), listener.disconnect()]);
  });

  it('applies a rule edited in the spec file to the participants already in the room', async () => {
    const viewer = await joinParticipant(env, { room: rooms.edit, identity: 'viewer-1' });
    const first = await waitForParticipants(
      rooms.edit,
      (ps) => byIdentity(ps, 'viewer-1')?.permission?.canPublishData === false,
    );
    expect(byIdentity(first, 'viewer-1')?.permission).toMatchObject({
      canPublish: true,
      canPublishData: false,
    });

    // The edit: viewers may no longer publish, and may manage agent sessions.
    await writeSpecs(
      ws,
      specs({
        permissions: { canPublish: false, canSubscribe: true, canManageAgentSession: true },
      }),
    );
    const after = await waitForParticipants(
      rooms.edit,
      (ps) => byIdentity(ps, 'viewer-1')?.permission?.canPublish === false,
    );
    expect(byIdentity(after, 'viewer-1')?.permission).toMatchObject({
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
      canManageAgentSession: true,
    });
    await waitFor('the edited rule in the status events', async () => {
      const events = await moderationEvents(rooms.edit, 'viewer-1');
      return events.some((e) => (e.effect ?? '').includes('canPublish=false'));
    });
    const effects = (await moderationEvents(rooms.edit, 'viewer-1')).map((e) => e.effect);
    expect(effects).toEqual([
      'permissions canPublishData=false',
      'permissions canPublish=false canManageAgentSession=true',
    ]);
    await viewer.disconnect();
  });
});
