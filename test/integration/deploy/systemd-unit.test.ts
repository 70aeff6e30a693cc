/**
 * docs/deploy/livekit-gitops.service: its ExecStart line runs the daemon. The line is taken from
 * the unit as written; only what must differ on a test machine is mapped: the installed binary to
 * this checkout's CLI, /etc/livekit-gitops and /var/lib/livekit-gitops to temporary directories,
 * the two fixed ports to free ones.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed } from '../daemon/test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
let daemon: DaemonChild | undefined;
afterAll(async () => {
  await daemon?.stop();
  await deleteTaggedRooms();
});

function unitSettings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}

describe('docs/deploy/livekit-gitops.service', () => {
  it('has a restart policy, a dedicated user and an environment file; its ExecStart runs', async () => {
    const unit = unitSettings(
      readFileSync(new URL('../../../docs/deploy/livekit-gitops.service', import.meta.url), 'utf8'),
    );
    expect(unit.get('Restart')).toBe('on-failure');
    expect(unit.get('User')).toBe('livekit-gitops');
    expect(unit.get('EnvironmentFile')).toBe('/etc/livekit-gitops/env');
    const [bin, command, ...args] = (unit.get('ExecStart') ?? '').split(/\s+/);
    expect(bin).toBe('/usr/local/bin/livekit-gitops');
    expect(command).toBe('daemon');

    const root = await makeWorkspace({});
    const etc = join(root, 'etc');
    const varLib = join(root, 'var');
    await mkdir(join(etc, 'rooms'), { recursive: true });
    await mkdir(varLib, { recursive: true });
    const room = `systemd-${tag}`;
    await writeFile(join(etc, 'rooms', 'rooms.yaml'), roomYaml(room, { maxParticipants: 7 }));
    await writeFile(join(etc, 'livekit-gitops.yaml'), 'maxDeletes: 10\n');
    const mapped = args.map((a) =>
      a
        .replace('/etc/livekit-gitops', etc)
        .replace('/var/lib/livekit-gitops', varLib)
        .replace(/^0\.0\.0\.0:8080$/, '127.0.0.1:0')
        .replace(/^127\.0\.0\.1:9090$/, '127.0.0.1:0'),
    );
    // WorkingDirectory= is where the file state lands.
    expect(unit.get('WorkingDirectory')).toBe('/var/lib/livekit-gitops');
    daemon = await startDaemonChild(varLib, env, mapped);
    await waitFor('ready', async () => (await fetch(`${daemon!.probeBase}/readyz`)).status === 200);
    expect((await port.listRooms()).find((r) => r.name === room)?.maxParticipants).toBe(7);
    expect(daemon.probeBase).not.toBe(daemon.base);
    expect(await daemon.stop()).toBe(0);
    daemon = undefined;
  });
});
