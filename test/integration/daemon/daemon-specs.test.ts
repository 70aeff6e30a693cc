import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { addRelayTarget, removeRelayTarget } from '../../harness/webhook-client.ts';
import {
  metricValue,
  readDaemonStatus,
  readRoomStatus,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const targets: string[] = [];

afterEach(async () => {
  for (const t of targets.splice(0)) await removeRelayTarget(env.relayUrl, t);
  await stopDaemons(running);
});
afterAll(async () => {
  await deleteTaggedRooms();
});

/** An editor's atomic save: write a temp file beside it, rename over. */
async function atomicSave(path: string, text: string): Promise<void> {
  await writeFile(path + '.tmp~', text);
  await rename(path + '.tmp~', path);
}

async function liveRoom(name: string) {
  return (await port.listRooms([name]))[0];
}

describe('daemon: spec files while it runs', () => {
  it('creates, updates, keeps the last valid version, fixes, prunes, and recreates a room deleted behind its back', async () => {
    const a = `daemon-a-${tag}`;
    const b = `daemon-b-${tag}`;
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': 'prune: true\n',
      'rooms/a.yaml': roomYaml(a, { metadata: 'v1' }),
    });
    const d = await startDaemonChild(ws, env, ['--interval', '1h', '--debounce', '100']);
    running.push(d);
    await addRelayTarget(env.relayUrl, d.webhookUrl);
    targets.push(d.webhookUrl);

    await waitFor('room a with v1', async () => (await liveRoom(a))?.metadata === 'v1');
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

    // Added.
    await writeFile(join(ws, 'rooms/b.yaml'), roomYaml(b, { metadata: 'b1' }));
    await waitFor('room b created', async () => (await liveRoom(b))?.metadata === 'b1');

    // Edited (atomic save).
    await atomicSave(join(ws, 'rooms/a.yaml'), roomYaml(a, { metadata: 'v2' }));
    await waitFor('room a at v2', async () => (await liveRoom(a))?.metadata === 'v2');

    // Broken: reported in _daemon.yaml and metrics; the daemon keeps running.
    await atomicSave(
      join(ws, 'rooms/a.yaml'),
      roomYaml(a, { metadata: 'v3', maxParticipants: -1 }),
    );
    await waitFor('spec error reported', async () => {
      const s = await readDaemonStatus(ws);
      return (s?.specErrors ?? []).some((e) => e.file === 'rooms/a.yaml');
    });
    expect(await metricValue(d.base, 'livekit_gitops_spec_errors')).toBeGreaterThan(0);
    // A later valid change elsewhere is applied while a.yaml's last valid version stays in force:
    // room a keeps v2 and is not pruned (prune is on).
    await atomicSave(join(ws, 'rooms/b.yaml'), roomYaml(b, { metadata: 'b2' }));
    await waitFor('room b at b2', async () => (await liveRoom(b))?.metadata === 'b2');
    expect((await liveRoom(a))?.metadata).toBe('v2');
    expect(d.child.exitCode).toBeNull();

    // Fixed.
    await atomicSave(join(ws, 'rooms/a.yaml'), roomYaml(a, { metadata: 'v3' }));
    await waitFor('room a at v3', async () => (await liveRoom(a))?.metadata === 'v3');
    await waitFor(
      'spec errors cleared',
      async () => (await readDaemonStatus(ws))?.specErrors.length === 0,
    );
    expect(await metricValue(d.base, 'livekit_gitops_spec_errors')).toBe(0);

    // Deleted, with prune configured.
    await rm(join(ws, 'rooms/b.yaml'));
    await waitFor('room b pruned', async () => (await liveRoom(b)) === undefined);

    // Deleted behind the daemon's back: room_finished arrives through the relay; recreated.
    const before = await liveRoom(a);
    await port.deleteRoom(a);
    await waitFor('room a recreated', async () => {
      const now = await liveRoom(a);
      return now !== undefined && now.sid !== before?.sid && now.metadata === 'v3';
    });
    await waitFor('room_finished folded into a status', async () => {
      const s = await readRoomStatus(ws, a);
      return (s?.events ?? []).some((e) => e.event === 'room_finished');
    });
    const status = await readRoomStatus(ws, a);
    expect(status?.declared).toBe(true);
    expect(status?.conditions.map((c) => c.type)).toEqual(['Ready', 'Synced']);

    expect(await d.stop()).toBe(0);
    running.splice(running.indexOf(d), 1);
    expect((await readDaemonStatus(ws))?.active).toBe(false);
    expect(d.logs()).not.toContain(env.apiSecret);
  });

  it('opens a scheduled room at its cron edge, not before', async () => {
    const c = `daemon-sched-${tag}`;
    // A window at a minute boundary far from now; the daemon's clock is shifted so that the
    // boundary comes about 6 s after it starts (the hidden --clock-offset flag).
    const edge = new Date(Math.ceil((Date.now() + 3 * 3600_000) / 60_000) * 60_000);
    const cron = `${edge.getUTCMinutes()} ${edge.getUTCHours()} * * *`;
    const ws = await makeWorkspace({
      'rooms/c.yaml': roomYaml(c, { schedule: [{ start: cron, duration: '10m' }] }),
    });
    const offset = edge.getTime() - (Date.now() + 6_000);
    const d = await startDaemonChild(ws, env, [
      '--interval',
      '1h',
      '--clock-offset',
      String(offset),
    ]);
    running.push(d);

    await waitFor(
      'first full reconcile',
      async () => (await fetch(`${d.base}/readyz`)).status === 200,
    );
    await waitFor('window reported closed', async () => {
      const s = await readRoomStatus(ws, c);
      return s?.conditions.find((x) => x.type === 'Ready')?.reason === 'WindowClosed';
    });
    expect(await liveRoom(c)).toBeUndefined();

    await waitFor('room opened at the edge', async () => (await liveRoom(c)) !== undefined, 20_000);
    await waitFor('Ready=True', async () => {
      const s = await readRoomStatus(ws, c);
      return s?.conditions.find((x) => x.type === 'Ready')?.status === 'True';
    });
  });
});
