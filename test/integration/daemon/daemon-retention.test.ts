/**
 * Bounded status through a real daemon: a room only a webhook named (never declared, not live)
 * keeps its status file, with its drop time in it, for the retention; then the file and the
 * entry are gone. A declared room's status stays.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import {
  metricValue,
  readRoomStatus,
  signedWebhook,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];

afterEach(async () => {
  await stopDaemons(running);
  await deleteTaggedRooms();
});

async function postEvent(d: DaemonChild, event: string, room: string): Promise<void> {
  const body = JSON.stringify({
    event,
    id: `EV_${randomBytes(8).toString('hex')}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: room, sid: `RM_${room}` },
  });
  const res = await fetch(d.webhookUrl, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/webhook+json',
      authorization: await signedWebhook(body, env),
    },
  });
  expect(res.status).toBe(200);
}

describe('daemon: status retention', () => {
  it('drops the status of a room neither declared nor live after the retention', async () => {
    const declared = `ret-declared-${tag}`;
    const passing = `ret-passing-${tag}`;
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(declared) });
    const d = await startDaemonChild(ws, env, ['--interval', '1s', '--status-retention', '3s']);
    running.push(d);
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

    await postEvent(d, 'room_started', passing);
    await postEvent(d, 'room_finished', passing);
    // Reported in the file until it is dropped.
    await waitFor('retainedUntil in the file', async () => {
      const s = await readRoomStatus(ws, passing);
      return s?.retainedUntil !== undefined;
    });
    const s = await readRoomStatus(ws, passing);
    expect(s?.declared).toBe(false);
    expect(s?.live).toBe(false);
    expect(Date.parse(s?.retainedUntil ?? '')).toBeGreaterThan(Date.now());

    await waitFor('status file dropped', async () => !(await readRoomStatus(ws, passing)));
    expect(await metricValue(d.probeBase, 'livekit_gitops_status_dropped_total')).toBe(1);
    expect(await metricValue(d.probeBase, 'livekit_gitops_status_rooms')).toBe(1);
    const kept = await readRoomStatus(ws, declared);
    expect(kept?.declared).toBe(true);
    expect(kept?.retainedUntil).toBeUndefined();
  });
});
