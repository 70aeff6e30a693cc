/**
 * State loss under a running recording (real livekit-server, the stand-in egress worker, real
 * participants, the daemon as a child process): the state file deleted, then the daemon and later
 * an `apply` restarted on the new lineage. The state-loss guard adopts the running egress by its
 * request fingerprint and reports it: still exactly one egress, never a second recording.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEgressWorker } from '../../harness/egress-worker.ts';
import { disconnectAll, disposeRtc } from '../../harness/participants.ts';
import { startRelayedBed, type RelayedBed } from './daemon-bed.ts';
import { lossBed } from './state-loss-bed.ts';
import { activeIn, poll, policyYaml, roomName, workspace, type Workspace } from './setup.ts';

let bed: RelayedBed;
const loss = lossBed(() => bed);
const spaces: Workspace[] = [];

beforeAll(async () => {
  await buildEgressWorker();
  bed = await startRelayedBed();
}, 600_000);

afterEach(async () => {
  await disconnectAll();
  await loss.cleanup();
  for (const s of spaces.splice(0)) await s.cleanup();
});

afterAll(async () => {
  await disposeRtc();
  await bed?.stop();
});

describe('state loss under a running recording', () => {
  it('state file deleted: the restarted daemon and an apply adopt the egress; still one', async () => {
    const room = roomName('sloss');
    const space = await workspace(bed, { 'rooms/rec.yaml': policyYaml('sales', ['sloss-*']) });
    spaces.push(space);
    const address = `recording.sales.${room}`;
    const first = await loss.start(space);
    const { id, worker } = await loss.runningRecording(space, room, () => space.state());
    const lostLineage = (await space.state()).lineage;
    await loss.stop(first);

    await rm(join(space.dir, '.livekit-gitops', 'state.json'));
    const restartedAt = Date.now();
    const second = await loss.start(space);
    const state = await poll('the new state owns the same egress', async () => {
      const s = await space.state().catch(() => undefined);
      return s?.owned[address]?.serverId === id ? s : undefined;
    });
    const convergeMs = Date.now() - restartedAt;
    expect(state.lineage).not.toBe(lostLineage);
    const reported = await loss.reported(space, id);
    // The daemon's status remembered the lineage it reconciled before: the loss is named.
    expect(reported).toMatchObject({ lineage: state.lineage, previousLineage: lostLineage });
    expect(second.logs()).toContain('the state was lost');
    expect(second.logs()).toContain('state-loss guard');
    // More webhooks, more reconciles: still the one egress.
    await loss.joinAndWait(space, room, 'carol');
    expect((await activeIn(bed.port, room)).map((e) => e.egressId)).toEqual([id]);
    await loss.stop(second);

    // The state lost again; this time a CI apply is the first to run.
    await rm(join(space.dir, '.livekit-gitops', 'state.json'));
    const applied = await space.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`adopted ${address} (${id})`);
    expect((await space.state()).owned[address]?.serverId).toBe(id);
    expect((await activeIn(bed.port, room)).map((e) => e.egressId)).toEqual([id]);
    expect(worker.egressIds()).toEqual([id]);
    console.info(
      `state file deleted: 0 lost, 0 duplicated, adopted ${convergeMs} ms after restart`,
    );
  }, 120_000);
});
