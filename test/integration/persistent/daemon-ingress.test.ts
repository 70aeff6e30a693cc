/**
 * The daemon path for the persistent kinds: with `livekit-gitops daemon` running (hourly interval,
 * so only the spec watcher can trigger a pass), adding an Ingress spec file creates the ingress on
 * the full resync the change enqueues, editing it updates the same ingress in place, and removing
 * the file deletes it (prune is configured).
 */
import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed, stopDaemons } from '../daemon/test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const workspaces: string[] = [];
const ingressName = `daemon-enc-${tag}`;

function ingressYaml(participantName: string, video: string): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'Ingress',
    metadata: { name: ingressName },
    spec: {
      inputType: 'rtmp',
      roomName: `daemon-hall-${tag}`,
      participantIdentity: 'encoder',
      participantName,
      enableTranscoding: true,
      video: { preset: video },
    },
  });
}

async function ours() {
  return (await port.listIngress()).filter((i) => i.name === ingressName);
}

afterEach(async () => {
  await stopDaemons(running);
});
afterAll(async () => {
  for (const i of await ours()) await port.deleteIngress(i.ingressId);
  await deleteTaggedRooms();
  for (const ws of workspaces.splice(0)) await rm(ws, { recursive: true, force: true });
});

describe('daemon: Ingress spec files while it runs', () => {
  it('creates on the resync a new spec file enqueues, updates in place on edit, prunes on removal', async () => {
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': 'prune: true\n',
      'rooms/hall.yaml': roomYaml(`daemon-hall-${tag}`),
    });
    workspaces.push(ws);
    const d = await startDaemonChild(ws, env, ['--interval', '1h', '--debounce', '100']);
    running.push(d);
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);
    expect(await ours()).toEqual([]);

    // Added: the spec change enqueues a full resync, which creates the ingress.
    const file = join(ws, 'rooms/encoder.yaml');
    await writeFile(file, ingressYaml('Stage', 'H264_720P_30FPS_1_LAYER'));
    await waitFor('ingress created', async () => (await ours()).length === 1, 20_000);
    const [made] = await ours();
    expect(made).toMatchObject({
      participantName: 'Stage',
      videoPreset: 'H264_720P_30FPS_1_LAYER',
    });

    // Edited: the same ingress (same id, same stream key) takes the new fields.
    await writeFile(file, ingressYaml('Stage left', 'H264_1080P_30FPS_1_LAYER'));
    await waitFor(
      'ingress updated',
      async () => (await ours())[0]?.participantName === 'Stage left',
      20_000,
    );
    const updated = await ours();
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({
      ingressId: made?.ingressId,
      streamKey: made?.streamKey,
      videoPreset: 'H264_1080P_30FPS_1_LAYER',
    });

    // Removed, prune configured: the owned ingress is deleted.
    await unlink(file);
    await waitFor('ingress deleted', async () => (await ours()).length === 0, 20_000);
    expect(d.child.exitCode).toBeNull();
    expect(d.logs()).not.toContain(made?.streamKey ?? 'no stream key');
  });
});
