import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEgressWorker,
  startEgressWorker,
  type EgressWorker,
} from '../../harness/egress-worker.ts';
import { disconnectAll, disposeRtc } from '../../harness/participants.ts';
import {
  activeIn,
  poll,
  policyYaml,
  roomName,
  SECRET_SK,
  SECRET_STREAM,
  startBed,
  workspace,
  type Bed,
  type Workspace,
  joinAll,
} from './setup.ts';

// Recording policies through `plan` and `apply` (child processes) against a real livekit-server,
// its own Redis, the stand-in egress worker and real rtc-node participants.

let bed: Bed;
const workers: EgressWorker[] = [];
const spaces: Workspace[] = [];

async function worker(
  opts: Parameters<typeof startEgressWorker>[0] extends infer O
    ? Omit<O & object, 'redisAddress'>
    : never,
) {
  const w = await startEgressWorker({ redisAddress: bed.lk.redisAddress, ...opts });
  workers.push(w);
  return w;
}

async function ws(files: Record<string, string>, knobs: Record<string, string> = {}) {
  const w = await workspace(bed, files, knobs);
  spaces.push(w);
  return w;
}

async function join(room: string, ...identities: string[]): Promise<void> {
  await joinAll(bed, room, identities);
  await poll(`${identities.length} in ${room}`, async () => {
    const [r] = await bed.rooms.listRooms([room]);
    return (r?.numParticipants ?? 0) >= identities.length;
  });
}

function noSecrets(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(SECRET_SK);
    expect(t).not.toContain(SECRET_STREAM);
  }
}

beforeAll(async () => {
  await buildEgressWorker();
  bed = await startBed();
}, 600_000);

afterEach(async () => {
  await disconnectAll();
  for (const w of workers.splice(0)) await w.kill();
  for (const s of spaces.splice(0)) await s.cleanup();
});

afterAll(async () => {
  await disposeRtc();
  await bed?.stop();
});

describe('recording policies through plan and apply', () => {
  it('starts one egress when two join, plans nothing more, stops it when they leave; no secret anywhere', async () => {
    const w = await worker({});
    const room = roomName('webinar');
    const space = await ws({ 'rooms/rec.yaml': policyYaml('sales', ['webinar-*']) });
    await join(room, 'alice');
    const quiet = await space.cli(['plan', '--detailed-exitcode']);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    await join(room, 'alice', 'bob');

    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown']) {
      const planned = await space.cli(['plan', '--detailed-exitcode', '--format', format]);
      expect(planned.code).toBe(2);
      expect(planned.stdout).toContain(`recording.sales.${room}`);
      outputs.push(planned.stdout, planned.stderr);
    }
    expect(outputs[0]).toContain(`> recording.sales.${room}`);

    const applied = await space.cli(['apply', '--auto-approve']);
    outputs.push(applied.stdout, applied.stderr);
    expect(applied.code).toBe(0);
    const [egress] = await poll('egress active', async () => {
      const list = await activeIn(bed.port, room);
      return list.length === 1 && list[0]?.status === 'active' ? list : undefined;
    });
    expect(w.egressIds()).toEqual([egress?.egressId]);
    const again = await space.cli(['apply', '--auto-approve']);
    expect(again.code).toBe(0);
    expect(await activeIn(bed.port, room)).toHaveLength(1);
    expect((await space.cli(['plan', '--detailed-exitcode'])).code).toBe(0);

    await disconnectAll();
    await poll(
      'room empty',
      async () => ((await bed.rooms.listRooms([room]))[0]?.numParticipants ?? 0) === 0,
    );
    const stopPlan = await space.cli(['plan']);
    expect(stopPlan.stdout).toContain(`x recording.sales.${room}`);
    const stopped = await space.cli(['apply', '--auto-approve']);
    outputs.push(stopPlan.stdout, stopped.stdout, stopped.stderr);
    expect(stopped.code).toBe(0);
    const [done] = await poll('egress complete', async () => {
      const list = await bed.port.listEgress({ egressId: egress!.egressId });
      return list[0]?.status === 'complete' ? list : undefined;
    });
    expect(done?.fileResults[0]?.location).toContain(`recordings/sales/${room}/`);
    noSecrets(...outputs, await space.stateText());
  });

  it('a StartEgress answered after our deadline is adopted by the next apply, never started twice', async () => {
    const w = await worker({ startDelayMs: 3_000 });
    const room = roomName('slow');
    const space = await ws(
      { 'rooms/rec.yaml': policyYaml('sales', ['slow-*']) },
      { LIVEKIT_GITOPS_RECORDING_START_TIMEOUT_MS: '1000' },
    );
    await join(room, 'a', 'b');
    const first = await space.cli(['apply', '--auto-approve']);
    expect(first.code).toBe(1);
    noSecrets(first.stdout, first.stderr);
    expect((await space.state()).pending[`recording.sales.${room}`]).toBeDefined();
    // The worker stored the egress before its late answer: the next plan adopts it, starts nothing.
    await poll('egress listed', async () => (await activeIn(bed.port, room)).length === 1);
    const adopting = await space.cli(['plan', '--detailed-exitcode']);
    expect(adopting.code).toBe(0);
    expect(adopting.stdout).not.toContain('>');
    const second = await space.cli(['apply', '--auto-approve']);
    expect(second.code).toBe(0);
    const state = await space.state();
    expect(state.pending[`recording.sales.${room}`]).toBeUndefined();
    expect(state.owned[`recording.sales.${room}`]?.serverId).toBe(w.egressIds()[0]);
    expect((await space.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(w.egressIds()).toHaveLength(1);
    expect(await activeIn(bed.port, room)).toHaveLength(1);
  });

  it('a worker killed mid-recording: the lost egress is reported and exactly one replacement runs on the survivor', async () => {
    const doomed = await worker({ id: 'EW_doomed' });
    const room = roomName('lost');
    const space = await ws(
      { 'rooms/rec.yaml': policyYaml('sales', ['lost-*']) },
      {
        LIVEKIT_GITOPS_RECORDING_PROBE_MIN_AGE_MS: '0',
        LIVEKIT_GITOPS_RECORDING_PROBE_INTERVAL_MS: '0',
      },
    );
    await join(room, 'a', 'b');
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    const [first] = doomed.egressIds();
    const survivor = await worker({ id: 'EW_survivor', affinity: 0.5 });
    await doomed.kill();
    // Healthy egress answer the probe: nothing to do while the worker lives (checked above by the
    // plan being empty); now the probe times out and the replacement goes to the survivor.
    const planned = await space.cli(['plan']);
    expect(planned.stdout).toContain(`> recording.sales.${room} (replace_lost_egress)`);
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    await poll('replacement', () => Promise.resolve(survivor.egressIds().length === 1));
    const state = await space.state();
    expect(state.recordings?.[`recording.sales.${room}`]?.lost).toEqual([first]);
    expect(state.owned[`recording.sales.${room}`]?.serverId).toBe(survivor.egressIds()[0]);
    // The lost egress stays ACTIVE on the server; it is never adopted or replaced again.
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(survivor.egressIds()).toHaveLength(1);
    expect((await activeIn(bed.port, room)).map((e) => e.egressId).sort()).toEqual(
      [first, survivor.egressIds()[0]].sort(),
    );
  }, 60_000);

  it('policy removed: its egress stopped, a second policy on the same room unaffected', async () => {
    const w = await worker({});
    const room = roomName('two');
    const space = await ws({
      'rooms/a.yaml': policyYaml('first', ['two-*']),
      'rooms/b.yaml': policyYaml('second', ['two-*']),
    });
    await join(room, 'a', 'b');
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(w.egressIds()).toHaveLength(2);
    const owned = (await space.state()).owned;
    const firstId = owned[`recording.first.${room}`]?.serverId;
    const secondId = owned[`recording.second.${room}`]?.serverId;
    await space.remove('rooms/a.yaml');
    const planned = await space.cli(['plan']);
    expect(planned.stdout).toContain(
      `x recording.first.${room} (delete_because_no_resource_config)`,
    );
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    await poll('first stopped', async () => (await activeIn(bed.port, room)).length === 1);
    expect((await activeIn(bed.port, room)).map((e) => e.egressId)).toEqual([secondId]);
    expect(firstId).not.toBe(secondId);
  });

  it('no worker: the start fails cleanly, is reported, retried with backoff, and one egress once a worker appears', async () => {
    const room = roomName('nowork');
    const space = await ws({ 'rooms/rec.yaml': policyYaml('sales', ['nowork-*']) });
    await join(room, 'a', 'b');
    const failed = await space.cli(['apply', '--auto-approve']);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('no response from servers');
    noSecrets(failed.stdout, failed.stderr);
    const rec = (await space.state()).recordings?.[`recording.sales.${room}`];
    expect(rec?.failures).toBe(1);
    expect(rec?.retryAt).toBeDefined();
    expect((await space.state()).pending[`recording.sales.${room}`]).toBeUndefined();
    const w = await worker({});
    await poll('backoff over', () => Promise.resolve(Date.now() > Date.parse(rec?.retryAt ?? '')));
    const planned = await space.cli(['plan']);
    expect(planned.stdout).toContain(`> recording.sales.${room} (retry_after_failure)`);
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await space.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(w.egressIds()).toHaveLength(1);
    expect(await activeIn(bed.port, room)).toHaveLength(1);
  }, 120_000);
});
