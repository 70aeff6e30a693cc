/**
 * CreateDispatch is not idempotent: a daemon SIGKILLed between the call and its state write must
 * not dispatch a second agent when it comes back. The first daemon runs with the create's answer
 * held (LKG_TEST_HOLD_ANSWERS_OF: the call reaches the server, the answer never comes back), so the
 * kill lands exactly there; the restarted one settles the pending marker from ListDispatch.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import { AgentDispatchClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateDocument } from '../../../src/core/inventory.ts';
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
import { doc, waitForParticipants, writeSpecs } from '../moderation/helpers.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const agentName = `greeter-${tag}`;
const room = `agc-${tag}-desk`;
const address = `agent-dispatch.${room}.${agentName}`;
const dispatch = new AgentDispatchClient(env.url, env.apiKey, env.apiSecret);
const args = ['--interval', '1h', '--lock-ttl', '3s'];
let ws: string;
let worker: AgentWorker;
const running: DaemonChild[] = [];

async function state(): Promise<StateDocument> {
  return JSON.parse(
    await readFile(join(ws, '.livekit-gitops/state.json'), 'utf8'),
  ) as StateDocument;
}

beforeAll(async () => {
  [ws, worker] = await Promise.all([makeWorkspace({}), startAgentWorker({ ...env, agentName })]);
  await writeSpecs(
    ws,
    [
      doc('AgentPolicy', 'greet', {
        rooms: { names: [room] },
        agent: { agentName, metadata: 'hi' },
      }),
    ],
    'rooms/agents.yaml',
  );
}, 60_000);

afterAll(async () => {
  await disposeRtc();
  for (const d of running.splice(0)) {
    await removeRelayTarget(env.relayUrl, d.webhookUrl);
    await d.stop();
  }
  await worker.stop();
  await deleteTaggedRooms();
});

describe('agent dispatch: daemon SIGKILLed between CreateDispatch and its state write', () => {
  it('restarted, it adopts the dispatch from ListDispatch: one agent in the room, not two', async () => {
    const first = await startDaemonChild(ws, env, args, {
      LKG_TEST_HOLD_ANSWERS_OF: 'createAgentDispatch',
    });
    running.push(first);
    await addRelayTarget(env.relayUrl, first.webhookUrl);
    const guest = await joinParticipant(env, { room, identity: 'guest' });

    // The call reached the server (its dispatch is listed) and the marker is written; no answer.
    await waitFor(
      'the dispatch on the server',
      async () => (await dispatch.listDispatch(room)).some((d) => d.agentName === agentName),
      30_000,
    );
    expect(Object.keys((await state()).pending)).toEqual([address]);
    expect((await state()).owned[address]).toBeUndefined();
    await removeRelayTarget(env.relayUrl, first.webhookUrl);
    await first.kill();
    running.splice(running.indexOf(first), 1);

    const again = await startDaemonChild(ws, env, args);
    running.push(again);
    await addRelayTarget(env.relayUrl, again.webhookUrl);
    await waitFor(
      'the restarted daemon adopted the dispatch',
      async () => (await state()).owned[address] !== undefined,
      30_000,
    );
    const settled = await state();
    expect(settled.pending).toEqual({});
    const mine = (await dispatch.listDispatch(room)).filter((d) => d.agentName === agentName);
    expect(mine.map((d) => d.id)).toEqual([settled.owned[address]?.serverId]);
    const withAgent = await waitForParticipants(
      room,
      (l) => l.filter((p) => p.kind === ParticipantInfo_Kind.AGENT).length === 1,
    );
    expect(withAgent.filter((p) => p.kind === ParticipantInfo_Kind.AGENT)).toHaveLength(1);
    expect(worker.jobs().filter((j) => j.room === room)).toHaveLength(1);
    await waitFor('the adoption in the status file', async () => {
      const a = (await readRoomStatus(ws, room))?.agents;
      return a?.events.some((e) => e.kind === 'adopted') === true;
    });

    // Another join reconciles the room again: still one.
    const before = (await readRoomStatus(ws, room))?.lastReconcile?.time ?? '';
    const second = await joinParticipant(env, { room, identity: 'guest-2' });
    await waitFor(
      'a reconcile after the second join',
      async () => {
        return ((await readRoomStatus(ws, room))?.lastReconcile?.time ?? '') > before;
      },
      30_000,
    );
    expect(
      (await dispatch.listDispatch(room)).filter((d) => d.agentName === agentName),
    ).toHaveLength(1);
    expect(worker.jobs().filter((j) => j.room === room)).toHaveLength(1);
    expect(again.logs() + first.logs()).not.toContain(env.apiSecret);
    await Promise.all([guest.disconnect(), second.disconnect()]);
  }, 120_000);
});
