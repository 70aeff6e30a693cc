/**
 * Agent dispatch through the running daemon: `livekit-gitops daemon` as a child process, LiveKit's
 * webhooks forwarded by the relay, clients joined with rtc-node, a real @livekit/agents worker.
 * One-hour resync: what happens here is driven by `participant_joined` webhooks.
 */
import { ParticipantInfo_Kind } from '@livekit/protocol';
import { AgentDispatchClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../../harness/cli.ts';
import { startAgentWorker, type AgentWorker } from '../../harness/agent-worker.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { addRelayTarget, removeRelayTarget } from '../../harness/webhook-client.ts';
import {
  readRoomStatus,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from '../daemon/daemon-process.ts';
import { daemonTestBed } from '../daemon/test-bed.ts';
import {
  byIdentity,
  doc,
  roomService,
  waitForParticipants,
  writeSpecs,
} from '../moderation/helpers.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const agentName = `transcriber-${tag}`;
const rooms = {
  selected: `agd-${tag}-sel-a`,
  other: `agd-${tag}-other`,
};
const dispatch = new AgentDispatchClient(env.url, env.apiKey, env.apiSecret);
let ws: string;
let daemon: DaemonChild;
let worker: AgentWorker;

const agentsIn = (ps: Awaited<ReturnType<typeof waitForParticipants>>) =>
  ps.filter((p) => p.kind === ParticipantInfo_Kind.AGENT);

beforeAll(async () => {
  [ws, worker] = await Promise.all([makeWorkspace({}), startAgentWorker({ ...env, agentName })]);
  await writeSpecs(
    ws,
    [
      doc('AgentPolicy', 'transcribe', {
        rooms: { match: [`agd-${tag}-sel-*`] },
        agent: { agentName, metadata: '{"lang":"en"}' },
        when: { minParticipants: 1 },
      }),
      // `identity: ['*']` names no kind: agents are left alone by it. The second rule names kind
      // agent, and only agents get its effect.
      doc('ModerationRule', 'no-data', {
        rooms: { names: [rooms.selected] },
        rules: [
          { participants: { identity: ['*'] }, permissions: { canPublishData: false } },
          { participants: { kind: ['agent'] }, permissions: { canSubscribe: false } },
        ],
      }),
    ],
    'rooms/agents.yaml',
  );
  daemon = await startDaemonChild(ws, env, ['--interval', '1h']);
  await addRelayTarget(env.relayUrl, daemon.webhookUrl);
  await waitFor('daemon ready', async () => (await fetch(`${daemon.base}/readyz`)).status === 200);
}, 60_000);

afterAll(async () => {
  await disposeRtc();
  await removeRelayTarget(env.relayUrl, daemon.webhookUrl);
  expect(await daemon.stop()).toBe(0);
  await worker.stop();
  await deleteTaggedRooms();
});

describe('AgentPolicy through the running daemon (real worker, real clients)', () => {
  it('dispatches into a client-created room its glob selects on participant_joined, once per session; the status file lists the dispatch and the agent participant', async () => {
    const guest = await joinParticipant(env, { room: rooms.selected, identity: 'guest-1' });

    const job = await worker.waitForJob((j) => j.room === rooms.selected, 30_000);
    expect(job.metadata).toBe('{"lang":"en"}');
    const joined = await worker.waitForJoin((j) => j.jobId === job.jobId, 30_000);
    const withAgent = await waitForParticipants(rooms.selected, (l) => agentsIn(l).length === 1);
    expect(agentsIn(withAgent).map((p) => p.identity)).toEqual([joined.identity]);

    await waitFor(
      'the dispatch and the agent participant in the status file',
      async () => {
        const a = (await readRoomStatus(ws, rooms.selected))?.agents;
        return (
          a?.dispatches.some((d) => d.id === job.dispatchId) === true &&
          a.participants.some((p) => p.identity === joined.identity)
        );
      },
      30_000,
    );
    const status = await readRoomStatus(ws, rooms.selected);
    expect(status?.agents?.dispatches.find((d) => d.id === job.dispatchId)).toMatchObject({
      agentName,
      owner: 'AgentPolicy transcribe',
    });
    expect(status?.agents?.participants.find((p) => p.identity === joined.identity)).toMatchObject({
      kind: 'agent',
      agentName,
      jobId: job.jobId,
    });

    // A second join reconciles the room again: no second dispatch, no second job.
    const before = status?.lastReconcile?.time ?? '';
    const second = await joinParticipant(env, { room: rooms.selected, identity: 'guest-2' });
    await waitFor(
      'a reconcile after the second join',
      async () => {
        const s = await readRoomStatus(ws, rooms.selected);
        return (
          (s?.lastReconcile?.time ?? '') > before &&
          s?.events.some((e) => e.event === 'participant_joined' && e.participant === 'guest-2') ===
            true
        );
      },
      30_000,
    );
    const mine = (await dispatch.listDispatch(rooms.selected)).filter(
      (d) => d.agentName === agentName,
    );
    expect(mine).toHaveLength(1);
    expect(worker.jobs().filter((j) => j.room === rooms.selected)).toHaveLength(1);

    // Moderation: the rule naming no kind took data publishing from the guests, not the agent;
    // the rule naming kind agent acted on the agent alone.
    const moderated = await waitForParticipants(
      rooms.selected,
      (l) =>
        byIdentity(l, 'guest-2')?.permission?.canPublishData === false &&
        byIdentity(l, joined.identity)?.permission?.canSubscribe === false,
    );
    expect(byIdentity(moderated, 'guest-1')?.permission).toMatchObject({
      canPublishData: false,
      canSubscribe: true,
    });
    expect(byIdentity(moderated, joined.identity)?.permission).toMatchObject({
      canPublishData: true,
      canSubscribe: false,
    });
    await Promise.all([guest.disconnect(), second.disconnect()]);
  }, 90_000);

  it('does not dispatch into a room its selector does not match', async () => {
    const guest = await joinParticipant(env, { room: rooms.other, identity: 'guest' });
    await waitFor(
      'a reconcile of the unselected room',
      async () => {
        const s = await readRoomStatus(ws, rooms.other);
        return s?.lastReconcile !== null && s?.lastReconcile !== undefined;
      },
      30_000,
    );
    const listed = await dispatch.listDispatch(rooms.other);
    expect(listed.map((d) => d.agentName)).not.toContain(agentName);
    expect(worker.jobs().filter((j) => j.room === rooms.other)).toEqual([]);
    expect((await roomService().listParticipants(rooms.other)).map((p) => p.kind)).toEqual([
      ParticipantInfo_Kind.STANDARD,
    ]);
    await guest.disconnect();
  }, 60_000);

  it('no secret in the status files or the daemon log', async () => {
    const dir = join(ws, 'status');
    for (const f of await readdir(dir)) {
      expect(await readFile(join(dir, f), 'utf8')).not.toContain(env.apiSecret);
    }
    expect(daemon.logs()).not.toContain(env.apiSecret);
  });
});
