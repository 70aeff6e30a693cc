/**
 * maxDeletes across the daemon, through a real daemon and livekit-server: one spec change that
 * removes more rooms than maxDeletes deletes none of them (each room's key alone would be under
 * the budget), says why in `_daemon.yaml`, the log and a metric; restoring one spec brings the
 * count within the budget and the rest go; past the budget again, `--force` deletes.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
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

afterEach(async () => {
  await stopDaemons(running);
});
afterAll(async () => {
  await deleteTaggedRooms();
});

async function liveNames(): Promise<string[]> {
  return (await port.listRooms())
    .map((r) => r.name)
    .filter((n) => n.includes(tag))
    .sort();
}

describe('daemon: maxDeletes counts one spec change together', () => {
  it('holds the deletes over the budget, deletes once within it, and with --force', async () => {
    const names = [1, 2, 3, 4, 5, 6].map((i) => `maxdel-${i}-${tag}`);
    const files = Object.fromEntries(names.map((n) => [`rooms/${n}.yaml`, roomYaml(n)]));
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': 'prune: true\nmaxDeletes: 2\n',
      ...files,
    });
    const args = ['--interval', '1h', '--debounce', '100'];
    const d = await startDaemonChild(ws, env, args);
    running.push(d);
    await waitFor('six rooms', async () => (await liveNames()).length === 6);
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);

    // One change removes three rooms: over the budget of two.
    await Promise.all(names.slice(0, 3).map((n) => rm(join(ws, `rooms/${n}.yaml`))));
    await waitFor('the hold in _daemon.yaml', async () => {
      return (await readDaemonStatus(ws))?.deletesHeld?.count === 3;
    });
    const held = (await readDaemonStatus(ws))?.deletesHeld;
    expect(held?.maxDeletes).toBe(2);
    expect(held?.reason).toContain('more than maxDeletes (2)');
    expect(held?.addresses).toHaveLength(3);
    // Each removed room's own reconcile ran too (its key came with the change) and deleted nothing.
    for (const n of names.slice(0, 3)) {
      await waitFor(`${n} reported held`, async () => {
        const s = await readRoomStatus(ws, n);
        return s?.conditions.some((c) => c.message.includes('maxDeletes')) === true;
      });
    }
    expect(await liveNames()).toEqual([...names].sort());
    expect(await metricValue(d.probeBase, 'livekit_gitops_deletes_held')).toBe(3);
    expect(d.logs()).toContain('deletes held: more than maxDeletes');

    // One spec restored: two deletes, within the budget.
    await writeFile(join(ws, `rooms/${names[2]}.yaml`), roomYaml(names[2] ?? ''));
    await waitFor('two rooms deleted', async () => (await liveNames()).length === 4);
    expect(await liveNames()).toEqual(names.slice(2).sort());
    await waitFor('the hold cleared', async () => !(await readDaemonStatus(ws))?.deletesHeld);
    expect(await metricValue(d.probeBase, 'livekit_gitops_deletes_held')).toBe(0);
    await d.stop();
    running.splice(0);

    // Over the budget again while stopped; a daemon with --force deletes them.
    await Promise.all(names.slice(2, 5).map((n) => rm(join(ws, `rooms/${n}.yaml`))));
    const forced = await startDaemonChild(ws, env, [...args, '--force']);
    running.push(forced);
    await waitFor('forced deletes', async () => (await liveNames()).length === 1);
    expect(await liveNames()).toEqual([names[5]]);
    expect((await readDaemonStatus(ws))?.deletesHeld).toBeUndefined();
  });
});
