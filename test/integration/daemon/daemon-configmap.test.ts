/**
 * Specs mounted as a Kubernetes ConfigMap: the visible files are symlinks through a hidden
 * `..data` symlink to a timestamped directory, and an update writes a new directory and renames
 * a fresh symlink over `..data` (atomically). The daemon picks the swap up from its watcher
 * (the interval is an hour here), and the hidden directories are never read as specs.
 */
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { readDaemonStatus, startDaemonChild, waitFor, type DaemonChild } from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];

afterEach(async () => {
  await stopDaemons(running);
});
afterAll(async () => {
  await deleteTaggedRooms();
});

/** Writes a ConfigMap version the way kubelet's atomic writer does, and swaps `..data` to it. */
async function publish(dir: string, version: string, files: Record<string, string>) {
  const data = join(dir, `..${version}`);
  await mkdir(data, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(data, name), text);
  await symlink(`..${version}`, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of Object.keys(files)) {
    await symlink(join('..data', name), join(dir, name)).catch(() => undefined);
  }
}

async function liveRoom(name: string) {
  return (await port.listRooms([name]))[0];
}

describe('daemon: specs from a ConfigMap volume', () => {
  it('picks up an atomic ..data swap', async () => {
    const room = `daemon-cm-${tag}`;
    const ws = await makeWorkspace({});
    const dir = join(ws, 'specs');
    await publish(dir, '2026_12_01_00_00_00.1', {
      'rooms.yaml': roomYaml(room, { metadata: 'v1' }),
    });

    const d = await startDaemonChild(ws, env, ['specs', '--interval', '1h', '--debounce', '100']);
    running.push(d);
    await waitFor('room at v1', async () => (await liveRoom(room))?.metadata === 'v1');
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

    await publish(dir, '2026_12_01_00_05_00.2', {
      'rooms.yaml': roomYaml(room, { metadata: 'v2' }),
    });
    // The old directory goes only after the swap is seen: its removal alone wakes a watch on
    // the visible symlink's old target, and this checks that the `..data` rename itself is.
    await waitFor('room at v2', async () => (await liveRoom(room))?.metadata === 'v2');
    await rm(join(dir, '..2026_12_01_00_00_00.1'), { recursive: true });

    // Read once, through the visible symlink: no duplicate from the hidden directories.
    const status = await readDaemonStatus(ws);
    expect(status?.specErrors).toEqual([]);
  });
});
