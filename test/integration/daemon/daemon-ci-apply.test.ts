/**
 * Leadership is not the state lock: while a daemon runs, a CI `apply` from another process takes
 * the state lock between the daemon's writes and succeeds; the daemon keeps running and, once its
 * own checkout has the same specs, plans no change.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveKitCliEnv, makeWorkspace, roomYaml, runCli } from '../../harness/cli.ts';
import { readRoomStatus, startDaemonChild, waitFor, type DaemonChild } from './daemon-process.ts';
import { daemonTestBed } from './test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
let daemon: DaemonChild | undefined;

afterAll(async () => {
  await daemon?.stop();
  await deleteTaggedRooms();
});

function appliedLines(d: DaemonChild): number {
  return d
    .logs()
    .split('\n')
    .filter((l) => l.includes('"msg":"applied"')).length;
}

describe('daemon: leadership separate from the state lock', () => {
  it('a CI apply succeeds while the daemon runs; the daemon keeps running and then plans no change', async () => {
    const a = `daemon-ci-${tag}-a`;
    const b = `daemon-ci-${tag}-b`;
    const ws = await makeWorkspace({
      'rooms/r.yaml': roomYaml(a, { metadata: 'v1' }),
    });
    daemon = await startDaemonChild(ws, env, ['--interval', '1h']);
    const d = daemon;
    await waitFor('daemon ready', async () => (await fetch(`${d.base}/readyz`)).status === 200);
    expect((await port.listRooms([a]))[0]?.metadata).toBe('v1');

    // CI applies a changed spec set (its own checkout), with the daemon's state.
    const changed = [roomYaml(a, { metadata: 'v2' }), roomYaml(b, { metadata: 'new' })].join(
      '\n---\n',
    );
    await writeFile(join(ws, 'ci.yaml'), changed);
    const applied = await runCli(['apply', 'ci.yaml', '--auto-approve'], {
      cwd: ws,
      env: { ...liveKitCliEnv(env), CI: 'true' },
    });
    expect(applied.code, applied.stderr).toBe(0);
    const live = await port.listRooms([a, b]);
    expect(Object.fromEntries(live.map((r) => [r.name, r.metadata]))).toEqual({
      [a]: 'v2',
      [b]: 'new',
    });

    // The daemon's checkout catches up: it reconciles both rooms and finds nothing to do.
    const before = appliedLines(d);
    await writeFile(join(ws, 'rooms/r.yaml'), changed);
    await waitFor('the daemon reconciled both rooms', async () => {
      const [sa, sb] = await Promise.all([readRoomStatus(ws, a), readRoomStatus(ws, b)]);
      return [sa, sb].every((s) =>
        s?.conditions.some((c) => c.type === 'Synced' && c.message === 'LiveKit matches the spec'),
      );
    });
    expect(appliedLines(d)).toBe(before);
    expect(d.child.exitCode).toBeNull();
    expect((await fetch(`${d.base}/readyz`)).status).toBe(200);

    const plan = await runCli(['plan', 'rooms', '--detailed-exitcode'], {
      cwd: ws,
      env: liveKitCliEnv(env),
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
