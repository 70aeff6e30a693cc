import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StateDocument } from '../../../src/core/inventory.ts';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import {
  metricValue,
  readDaemonStatus,
  readRoomStatus,
  serverPort,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';
import { startTcpCut, type TcpCut } from './tcp-cut.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
let privateServer: LiveKitEnv | undefined;
let cutter: TcpCut | undefined;

afterEach(async () => {
  await stopDaemons(running);
});
afterAll(async () => {
  await cutter?.close();
  await privateServer?.stop();
  await deleteTaggedRooms();
});

async function readyz(d: DaemonChild): Promise<number> {
  return (await fetch(`${d.base}/readyz`)).status;
}

describe('daemon: crashes, standby, server restarts', () => {
  it('a standby daemon takes over when the active one is SIGKILLed mid-work, and converges without duplicates', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `daemon-kill-${tag}-${i}`);
    const ws = await makeWorkspace({
      'rooms/many.yaml': names.map((n) => roomYaml(n, { metadata: 'm' })).join('\n---\n'),
    });
    // A slow rate limit (30 rooms take ~8 s) stretches the first reconcile past the standby's
    // startup, so the kill lands in the middle of it.
    const slow = ['--interval', '1h', '--lock-ttl', '3s', '--rate-limit', '4', '--rate-burst', '1'];
    const first = await startDaemonChild(ws, env, slow);
    running.push(first);
    await waitFor(
      'first daemon holds the lock',
      async () => (await readDaemonStatus(ws))?.active === true,
    );
    const standby = await startDaemonChild(ws, env, ['--interval', '1h', '--lock-ttl', '3s']);
    running.push(standby);
    expect(await readyz(standby)).toBe(503);
    expect(await (await fetch(`${standby.base}/readyz`)).json()).toMatchObject({
      reasons: expect.arrayContaining(['standby: waiting for the lease']) as unknown,
    });

    await waitFor('some rooms created', async () => {
      const live = (await port.listRooms(names)).length;
      return live >= 3 && live < names.length;
    });
    await first.kill();
    running.splice(running.indexOf(first), 1);

    await waitFor(
      'standby took over and converged',
      async () => (await readyz(standby)) === 200,
      30_000,
    );
    const live = await port.listRooms(names);
    expect(live.map((r) => r.name).sort()).toEqual([...names].sort());
    const state = JSON.parse(
      await readFile(join(ws, '.livekit-gitops/state.json'), 'utf8'),
    ) as StateDocument;
    expect(Object.keys(state.owned).sort()).toEqual(names.map((n) => `room.${n}`).sort());
    expect(state.pending).toEqual({});
    const sids = new Map(live.map((r) => [r.name, r.sid]));

    // A clean stop, then a restart: nothing left to do, the same rooms (no replacement).
    const code = await standby.stop();
    expect(code, standby.logs().slice(-3000)).toBe(0);
    running.splice(running.indexOf(standby), 1);
    const again = await startDaemonChild(ws, env, ['--interval', '1h', '--lock-ttl', '3s']);
    running.push(again);
    await waitFor('restarted daemon ready', async () => (await readyz(again)) === 200);
    const after = await port.listRooms(names);
    expect(new Map(after.map((r) => [r.name, r.sid]))).toEqual(sids);
    const s = await readRoomStatus(ws, names[0] ?? '');
    expect(s?.conditions.find((c) => c.type === 'Synced')).toMatchObject({ status: 'True' });
  });

  it('keeps running while livekit-server restarts, reports it unreachable, and recreates the rooms', async () => {
    privateServer = await startLiveKit({ redis: false });
    const server = privateServer;
    const target = new URL(server.url);
    cutter = await startTcpCut({ host: target.hostname, port: Number(target.port) });
    const direct = serverPort(server);
    const names = [`daemon-rs-${tag}-1`, `daemon-rs-${tag}-2`];
    const ws = await makeWorkspace({
      'rooms/r.yaml': names.map((n) => roomYaml(n)).join('\n---\n'),
    });
    const d = await startDaemonChild(ws, { ...server, url: cutter.url }, ['--interval', '2s']);
    running.push(d);
    await waitFor('rooms created', async () => (await direct.listRooms(names)).length === 2);
    await waitFor('ready', async () => (await readyz(d)) === 200);
    expect(await metricValue(d.base, 'livekit_gitops_livekit_up')).toBe(1);

    // The network to the server goes down while the server restarts (rooms do not survive it).
    cutter.cut();
    await server.restart();
    expect(await direct.listRooms(names)).toEqual([]);
    await waitFor(
      'unavailability reported',
      async () =>
        (await metricValue(d.base, 'livekit_gitops_livekit_up')) === 0 && (await readyz(d)) === 503,
    );
    expect(await (await fetch(`${d.base}/readyz`)).json()).toMatchObject({
      reasons: ['LiveKit unreachable'],
    });
    await waitFor(
      'unavailability in _daemon.yaml',
      async () => (await readDaemonStatus(ws))?.livekitUp === false,
    );
    expect(d.child.exitCode).toBeNull();

    cutter.restore();
    await waitFor(
      'rooms recreated',
      async () => (await direct.listRooms(names)).length === 2,
      30_000,
    );
    await waitFor(
      'up and ready again',
      async () =>
        (await metricValue(d.base, 'livekit_gitops_livekit_up')) === 1 && (await readyz(d)) === 200,
    );
    expect(await metricValue(d.base, 'livekit_gitops_workqueue_retries_total')).toBeGreaterThan(0);
  });
});
