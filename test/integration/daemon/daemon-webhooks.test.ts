import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { liveKitCliEnv, makeWorkspace, roomYaml, runCli } from '../../harness/cli.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import {
  addRelayTarget,
  deliveryCursor,
  removeRelayTarget,
  waitForWebhook,
} from '../../harness/webhook-client.ts';
import {
  metricValue,
  readDaemonStatus,
  readRoomStatus,
  signedWebhook,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from './daemon-process.ts';
import { daemonTestBed } from './test-bed.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
let daemon: DaemonChild | undefined;

afterAll(async () => {
  await disposeRtc();
  if (daemon) {
    await removeRelayTarget(env.relayUrl, daemon.webhookUrl);
    await daemon.stop();
  }
  await deleteTaggedRooms();
});

function eventBody(
  event: string,
  room: string,
  id = `EV_${randomBytes(6).toString('hex')}`,
): string {
  return JSON.stringify({
    event,
    id,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: room, sid: `RM_${randomBytes(4).toString('hex')}` },
  });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers });
  await res.text();
  return res.status;
}

describe('daemon: webhooks', () => {
  const room = `daemon-wh-${tag}`;

  it('folds real participants joining and leaving into the status file', async () => {
    const ws = await makeWorkspace({ 'rooms/w.yaml': roomYaml(room, { departureTimeout: 60 }) });
    daemon = await startDaemonChild(ws, env, ['--interval', '1h']);
    await addRelayTarget(env.relayUrl, daemon.webhookUrl);
    await waitFor('ready', async () => (await fetch(`${daemon!.base}/readyz`)).status === 200);

    const alice = await joinParticipant(env, {
      room,
      identity: 'alice',
      name: 'Alice',
      publishAudio: true,
    });
    const bob = await joinParticipant(env, { room, identity: 'bob' });
    await waitFor('alice and bob in the status file, alice publishing', async () => {
      const s = await readRoomStatus(ws, room);
      const ids = (s?.participants ?? []).map((p) => p.identity).sort();
      return ids.join(',') === 'alice,bob' && s?.publishers === 1;
    });
    const s1 = await readRoomStatus(ws, room);
    expect(s1?.participants.find((p) => p.identity === 'alice')).toMatchObject({
      name: 'Alice',
      kind: 'standard',
      publisher: true,
    });
    expect(s1?.sid).toMatch(/^RM_/);

    // `status` reads the same files and LiveKit: the table and the JSON agree with them.
    const cliEnv = liveKitCliEnv(env);
    const table = await runCli(['status'], { cwd: ws, env: cliEnv });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`${room}\\s+RM_\\w+\\s+yes\\s+2\\s+1`));
    const json = await runCli(['status', room, '--format', 'json'], { cwd: ws, env: cliEnv });
    expect(JSON.parse(json.stdout)).toMatchObject({ name: room, live: true, participants: 2 });

    await bob.disconnect();
    await waitFor('bob gone from the status file', async () => {
      const s = await readRoomStatus(ws, room);
      return (s?.participants ?? []).map((p) => p.identity).join(',') === 'alice';
    });
    const s2 = await readRoomStatus(ws, room);
    expect(s2?.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['participant_joined', 'participant_left']),
    );
    expect(s2?.events.find((e) => e.event === 'participant_left')?.participant).toBe('bob');
    await alice.disconnect();
  });

  it('rejects forged, replayed, oversized and malformed requests, writing nothing for them', async () => {
    const d = daemon!;
    const forgedRoom = `daemon-forged-${tag}`;
    const url = d.webhookUrl;
    const type = { 'content-type': 'application/webhook+json' };

    // Forged: signed with another secret; and no signature at all.
    const forged = eventBody('room_finished', forgedRoom);
    const badAuth = await signedWebhook(forged, {
      apiKey: env.apiKey,
      apiSecret: 'not-the-secret-0123456789abcdef',
    });
    expect(await post(url, forged, { ...type, authorization: badAuth })).toBe(401);
    expect(await post(url, forged, type)).toBe(401);
    // A real signature over another body.
    const goodAuth = await signedWebhook(eventBody('room_started', forgedRoom), env);
    expect(await post(url, forged, { ...type, authorization: goodAuth })).toBe(401);

    // Replayed: a delivery the daemon already folded.
    const since = await deliveryCursor(env.relayUrl);
    const p = await joinParticipant(env, { room, identity: 'carol' });
    const { delivery } = await waitForWebhook(
      env.relayUrl,
      (e) => e.event === 'participant_joined' && e.room?.name === room,
      10_000,
      since,
    );
    await waitFor('carol folded', async () =>
      ((await readRoomStatus(d.cwd, room))?.participants ?? []).some((x) => x.identity === 'carol'),
    );
    const replay = await fetch(url, {
      method: 'POST',
      body: delivery.body,
      headers: { ...type, authorization: delivery.authorization ?? '' },
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'duplicate' });
    await p.disconnect();

    // Oversized (2 MiB), malformed (valid signature over a non-JSON body), wrong method and type.
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect(await post(url, big, { ...type, authorization: await signedWebhook(big, env) })).toBe(
      413,
    );
    const junk = '{"event": "room_started", "id": ';
    expect(await post(url, junk, { ...type, authorization: await signedWebhook(junk, env) })).toBe(
      400,
    );
    expect((await fetch(url)).status).toBe(405);
    const plain = eventBody('room_started', forgedRoom);
    expect(
      await post(url, plain, {
        'content-type': 'text/plain',
        authorization: await signedWebhook(plain, env),
      }),
    ).toBe(415);

    // A valid event for a probe room: once its status file exists, a flush has run since the
    // rejected requests, so anything they had written would be on disk by now.
    const probe = `daemon-probe-${tag}`;
    const probeBody = eventBody('room_started', probe);
    expect(
      await post(url, probeBody, { ...type, authorization: await signedWebhook(probeBody, env) }),
    ).toBe(200);
    const dir = d.cwd;
    await waitFor('probe folded', async () => (await readRoomStatus(dir, probe)) !== undefined);
    expect(await readRoomStatus(dir, forgedRoom)).toBeUndefined();
    const forgedId = (JSON.parse(forged) as { id: string }).id;
    expect((await readDaemonStatus(dir))?.seenEventIds).not.toContain(forgedId);
    expect(
      await metricValue(
        d.base,
        'livekit_gitops_webhook_events_total{event="unknown",outcome="rejected_bad_signature"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metricValue(
        d.base,
        'livekit_gitops_webhook_events_total{event="unknown",outcome="rejected_too_large"}',
      ),
    ).toBe(1);
    expect(
      await metricValue(
        d.base,
        'livekit_gitops_webhook_events_total{event="participant_joined",outcome="duplicate"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(d.logs()).not.toContain(badAuth);
    expect(d.logs()).not.toContain(goodAuth);
  });
});
