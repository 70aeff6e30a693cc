/**
 * `daemon --target NAME` reconciles the target's composed set, as plan and apply compose it: the
 * base patched by the target's overlays, plus the overlay's own documents, minus what
 * `metadata.targets` keeps for other targets; an edited overlay file is reloaded like a base file.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, roomYaml, writeFiles } from '../../harness/cli.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed, stopDaemons } from '../daemon/test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];

afterEach(() => stopDaemons(running));
afterAll(() => deleteTaggedRooms());

function stagingOnly(name: string): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'Room',
    metadata: { name, targets: ['staging'] },
    spec: {},
  });
}

async function metadataOf(room: string): Promise<string | undefined> {
  const [found] = await port.listRooms([room]);
  return found?.metadata;
}

describe('daemon --target composes the target', () => {
  it('creates the overlay’s rooms with its values and converges when the overlay changes', async () => {
    const lobby = `tgt-lobby-${tag}`;
    const extra = `tgt-extra-${tag}`;
    const staging = `tgt-staging-${tag}`;
    const ws = await makeWorkspace({
      'livekit-gitops.yaml': 'targets:\n  staging: {}\n  prod: { overlays: [targets/prod] }\n',
      'rooms/base.yaml': `${roomYaml(lobby, { metadata: 'base' })}\n---\n${stagingOnly(staging)}\n`,
      'targets/prod/patch.yaml': `${roomYaml(lobby, { metadata: 'prod-1' })}\n---\n${roomYaml(extra, { metadata: 'extra-1' })}\n`,
    });
    const d = await startDaemonChild(ws, env, [
      '--target',
      'prod',
      '--interval',
      '1h',
      '--debounce',
      '50',
    ]);
    running.push(d);
    await waitFor(
      'both prod rooms with the overlay values',
      async () => (await metadataOf(lobby)) === 'prod-1' && (await metadataOf(extra)) === 'extra-1',
    );
    // A room kept for staging by metadata.targets is not prod's.
    expect(await port.listRooms([staging])).toEqual([]);

    await writeFiles(ws, {
      'targets/prod/patch.yaml': `${roomYaml(lobby, { metadata: 'prod-2' })}\n---\n${roomYaml(extra, { metadata: 'extra-2' })}\n`,
    });
    await waitFor(
      'the daemon converged to the edited overlay',
      async () => (await metadataOf(lobby)) === 'prod-2' && (await metadataOf(extra)) === 'extra-2',
    );
    expect(d.logs()).not.toContain('spec error');
    expect(await port.listRooms([staging])).toEqual([]);
  });
});
