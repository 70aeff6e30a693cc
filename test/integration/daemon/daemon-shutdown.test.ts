import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { readDaemonStatus, startDaemonChild, waitFor, type DaemonChild } from './daemon-process.ts';
import { daemonTestBed, stopDaemons } from './test-bed.ts';
import { startTcpCut, type TcpCut } from './tcp-cut.ts';

const { env, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const cutters: TcpCut[] = [];

// The harness SIGKILLs a daemon that has not exited this long after the drain bound; a
// SIGKILLed child exits with code null, so "code 0" below also means "within the bound".
const DRAIN_MS = 1_500;
const GRACE_MS = 2_500;

afterEach(async () => {
  await stopDaemons(running);
  for (const c of cutters.splice(0)) await c.close();
});
afterAll(async () => {
  await deleteTaggedRooms();
});

function lines(d: DaemonChild): Array<{ msg?: string }> {
  return d
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string });
}

function logged(d: DaemonChild, msg: string): boolean {
  return lines(d).some((l) => l.msg === msg);
}

async function stalledDaemon(name: string, extra: string[] = []): Promise<DaemonChild> {
  const cutter = await startTcpCut({ host: '127.0.0.1', port: Number(new URL(env.url).port) });
  cutters.push(cutter);
  // LiveKit black-holed: calls hang until their 10 s timeout, then retry.
  cutter.stall();
  const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(`daemon-stop-${tag}-${name}`) });
  const d = await startDaemonChild(ws, { ...env, url: cutter.url }, [
    '--interval',
    '1h',
    '--drain-timeout',
    `${DRAIN_MS}ms`,
    ...extra,
  ]);
  running.push(d);
  await waitFor('a LiveKit call in flight', () => cutter.stalled() > 0);
  return d;
}

describe('daemon: shutdown', () => {
  it('SIGTERM mid-reconcile with LiveKit unreachable exits 0 within the drain bound and releases the lock', async () => {
    const d = await stalledDaemon('mid');
    const code = await d.stop(DRAIN_MS + GRACE_MS);
    running.splice(running.indexOf(d), 1);
    expect(code, d.logs().slice(-3000)).toBe(0);
    expect(logged(d, 'in-flight work did not finish in time')).toBe(true);
    expect(logged(d, 'stopped')).toBe(true);
    expect((await readDaemonStatus(d.cwd))?.active).toBe(false);

    // The lock was released: a new daemon on the same state takes it at once.
    const next = await startDaemonChild(d.cwd, env, ['--interval', '1h', '--lock-timeout', '5s']);
    running.push(next);
    await waitFor('next daemon holds the lock', async () => {
      const s = await readDaemonStatus(d.cwd);
      return s?.active === true && s.pid === next.child.pid;
    });
  });

  it('a second SIGTERM during the drain exits at once with code 1 and says so', async () => {
    const d = await stalledDaemon('twice', ['--drain-timeout', '60s']);
    d.child.kill('SIGTERM');
    await waitFor('drain started', () => logged(d, 'stopping: intake closed, draining work'));
    const code = await d.stop(GRACE_MS);
    running.splice(running.indexOf(d), 1);
    expect(code, d.logs().slice(-3000)).toBe(1);
    expect(logged(d, 'second signal: exiting without finishing the drain')).toBe(true);
  });

  it('SIGTERM while standing by for the lease exits 0 and leaves the active daemon alone', async () => {
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(`daemon-stop-${tag}-standby`) });
    const active = await startDaemonChild(ws, env, ['--interval', '1h']);
    running.push(active);
    await waitFor('active daemon ready', async () => {
      return (await fetch(`${active.base}/readyz`)).status === 200;
    });
    const standby = await startDaemonChild(ws, env, [
      '--interval',
      '1h',
      '--drain-timeout',
      `${DRAIN_MS}ms`,
    ]);
    running.push(standby);
    await waitFor('standing by', () => logged(standby, 'another daemon leads; standing by'));
    const code = await standby.stop(DRAIN_MS + GRACE_MS);
    running.splice(running.indexOf(standby), 1);
    expect(code, standby.logs().slice(-3000)).toBe(0);
    expect(logged(standby, 'stopped')).toBe(true);
    expect(active.child.exitCode).toBeNull();
    expect((await fetch(`${active.base}/readyz`)).status).toBe(200);
    const s = await readDaemonStatus(ws);
    expect(s).toMatchObject({ active: true, pid: active.child.pid });
  });

  it('SIGTERM as soon as the listener answers (startup still under way) exits 0', async () => {
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(`daemon-stop-${tag}-early`) });
    const d = await startDaemonChild(ws, env, [
      '--interval',
      '1h',
      '--drain-timeout',
      `${DRAIN_MS}ms`,
    ]);
    const code = await d.stop(DRAIN_MS + GRACE_MS);
    expect(code, d.logs().slice(-3000)).toBe(0);
    expect(logged(d, 'stopped')).toBe(true);
  });
});
