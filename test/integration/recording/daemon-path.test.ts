import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEgressWorker,
  startEgressWorker,
  type EgressWorker,
  type StartEgressWorkerOptions,
} from '../../harness/egress-worker.ts';
import { disconnectAll, disposeRtc } from '../../harness/participants.ts';
import { startReceiver } from '../../unit/notify/receiver.ts';
import {
  roomStatus,
  startRecordingDaemon,
  startRelayedBed,
  statusTexts,
  type RecordingDaemon,
  type RelayedBed,
} from './daemon-bed.ts';
import {
  activeIn,
  poll,
  policyYaml,
  roomName,
  SECRET_SK,
  SECRET_STREAM,
  workspace,
  type Workspace,
  joinAll,
} from './setup.ts';

// Recording policies through the daemon (a child process): webhooks from a real livekit-server
// (through a relay), its own Redis, the stand-in egress worker and real rtc-node participants.

let bed: RelayedBed;
const workers: EgressWorker[] = [];
const daemons: RecordingDaemon[] = [];
const spaces: Workspace[] = [];

async function worker(opts: Omit<StartEgressWorkerOptions, 'redisAddress'> = {}) {
  const w = await startEgressWorker({ redisAddress: bed.lk.redisAddress, log: 'info', ...opts });
  workers.push(w);
  return w;
}

async function daemon(space: Workspace): Promise<RecordingDaemon> {
  const d = await startRecordingDaemon(bed, space.dir, space.env);
  daemons.push(d);
  return d;
}

async function join(room: string, ...identities: string[]): Promise<void> {
  await joinAll(bed, room, identities);
}

interface EndedBody {
  type: string;
  data: {
    egressId?: string;
    files?: { location: string; size: number; durationMs: number }[];
    [k: string]: unknown;
  };
}

async function noSecrets(
  space: Workspace,
  d: RecordingDaemon,
  more: readonly string[] = [],
): Promise<void> {
  const texts = [...(await statusTexts(space.dir)), d.logs(), await space.stateText(), ...more];
  expect(texts.length).toBeGreaterThan(2);
  const key = SECRET_STREAM.slice(SECRET_STREAM.lastIndexOf('/') + 1);
  for (const t of texts) {
    expect(t).not.toContain(SECRET_SK);
    expect(t).not.toContain(key);
  }
}

beforeAll(async () => {
  await buildEgressWorker();
  bed = await startRelayedBed();
}, 600_000);

afterEach(async () => {
  await disconnectAll();
  for (const d of daemons.splice(0)) {
    await d.stop();
  }
  for (const w of workers.splice(0)) await w.kill();
  for (const s of spaces.splice(0)) await s.cleanup();
});

afterAll(async () => {
  await disposeRtc();
  await bed?.stop();
});

describe('recording policies through the daemon', () => {
  it('starts one egress when two join, shows it in status and metrics, stops it when they leave and records the file result', async () => {
    const w = await worker();
    const room = roomName('dweb');
    const rx = await startReceiver();
    const space = await workspace(bed, {
      'rooms/rec.yaml': policyYaml('sales', ['dweb-*']),
      'livekit-gitops.yaml': `notifications:\n  sinks:\n    - webhook: { url: "${rx.url}", secret: { fromEnv: REC_AK } }\n      events: [recordingEnded]\n`,
    });
    spaces.push(space);
    const d = await daemon(space);

    await join(room, 'alice', 'bob');
    const [egress] = await poll('one active egress', async () => {
      const list = await activeIn(bed.port, room);
      return list.length === 1 && list[0]?.status === 'active' ? list : undefined;
    });
    const id = egress!.egressId;
    const running = await poll('status shows the active egress', async () => {
      const s = await roomStatus(space.dir, room);
      const e = s?.recordings.egresses?.[0];
      return s?.recordings.active.join() === id && e?.status === 'active' ? s : undefined;
    });
    expect(running.recordings.egresses?.[0]).toMatchObject({
      egressId: id,
      policy: 'sales',
      endedAt: null,
      streams: [{ url: 'rtmp://live.example/app/(redacted)' }],
    });
    expect(running.recordings.egresses?.[0]?.startedAt).toMatch(/^\d{4}-/);
    await poll(
      'egress_active gauge 1',
      async () => (await d.metric('livekit_gitops_egress_active')) === 1,
    );

    await disconnectAll();
    const done = await poll(
      'status shows the ended egress with its file result',
      async () => {
        const s = await roomStatus(space.dir, room);
        const e = s?.recordings.ended?.find((x) => x.egressId === id);
        return e?.status === 'complete' && s?.recordings.active.length === 0 ? e : undefined;
      },
      40_000,
    );
    expect(done.policy).toBe('sales');
    expect(done.endedAt).toMatch(/^\d{4}-/);
    expect(done.files[0]?.location).toContain(`recordings/sales/${room}/`);
    expect(done.files[0]?.size).toBeGreaterThan(0);
    expect(done.files[0]?.durationMs).toBeGreaterThan(0);
    expect(await activeIn(bed.port, room)).toEqual([]);
    expect(w.egressIds()).toEqual([id]);
    await poll(
      'egress_active gauge 0',
      async () => (await d.metric('livekit_gitops_egress_active')) === 0,
    );
    // The sink heard of it too, with the same file result.
    const ended = await poll('recordingEnded notified', () => {
      const bodies = rx.received.map((r) => JSON.parse(r.body) as EndedBody);
      return Promise.resolve(
        bodies.find((b) => b.type === 'recordingEnded' && b.data.egressId === id),
      );
    });
    expect(ended.data).toMatchObject({ room, policy: 'sales', result: 'completed' });
    expect(ended.data.files?.[0]).toEqual({
      location: done.files[0]?.location,
      size: done.files[0]?.size,
      durationMs: done.files[0]?.durationMs,
    });
    await noSecrets(
      space,
      d,
      rx.received.map((r) => r.body),
    );
    await rx.close();
  }, 90_000);

  it('a daemon SIGKILLed right after a start and restarted leaves exactly one egress', async () => {
    const w = await worker();
    const room = roomName('dkill');
    const space = await workspace(bed, { 'rooms/rec.yaml': policyYaml('sales', ['dkill-*']) });
    spaces.push(space);
    const first = await daemon(space);
    await join(room, 'alice', 'bob');
    await w.waitForEvent((e) => e.event === 'start_request', 15_000);
    await first.kill();
    expect(first.logs()).not.toContain(SECRET_SK);
    daemons.splice(daemons.indexOf(first), 1);

    const second = await daemon(space);
    const status = await poll('status of the restarted daemon shows one egress', async () => {
      const s = await roomStatus(space.dir, room);
      return s?.recordings.active.length === 1 && s.recordings.egresses?.[0]?.policy === 'sales'
        ? s
        : undefined;
    });
    // More webhooks, more reconciles: still the one egress.
    await join(room, 'carol');
    await poll('carol in the status', async () =>
      (await roomStatus(space.dir, room))?.participants.some((p) => p.identity === 'carol'),
    );
    const state = await space.state();
    console.log(
      JSON.stringify(
        { state, eg: w.egressIds(), act: await activeIn(bed.port, room), st: status.recordings },
        null,
        1,
      ),
      first.logs(),
      second.logs(),
    );
    expect(state.owned[`recording.sales.${room}`]?.serverId).toBe(status.recordings.active[0]);
    expect(Object.keys(state.pending)).toEqual([]);
    expect((await activeIn(bed.port, room)).map((e) => e.egressId)).toEqual(
      status.recordings.active,
    );
    expect(w.egressIds()).toEqual(status.recordings.active);
    await noSecrets(space, second);
  }, 90_000);

  it('a FAILED egress is reported in status and metrics and retried with backoff, one at a time', async () => {
    const w = await worker({ failAfterMs: 300 });
    const room = roomName('dfail');
    const rx = await startReceiver();
    const space = await workspace(bed, {
      'rooms/rec.yaml': policyYaml('sales', ['dfail-*']),
      'livekit-gitops.yaml': `notifications:\n  sinks:\n    - webhook: { url: "${rx.url}", secret: { fromEnv: REC_AK } }\n      events: [recordingEnded]\n`,
    });
    spaces.push(space);
    const d = await daemon(space);
    await join(room, 'alice', 'bob');

    const s = await poll(
      'two failures reported, a third start made',
      async () => {
        const st = await roomStatus(space.dir, room);
        const failed = (st?.recordings.events ?? []).filter((e) => e.kind === 'failed');
        return failed.length >= 2 && w.egressIds().length >= 3 ? st : undefined;
      },
      30_000,
    );
    const failedEvents = (s.recordings.events ?? []).filter((e) => e.kind === 'failed');
    expect(failedEvents[0]?.policy).toBe('sales');
    expect(failedEvents[0]?.message).toContain('egress failed');
    const ended = s.recordings.ended ?? [];
    expect(ended.filter((e) => e.status === 'failed').length).toBeGreaterThanOrEqual(2);
    expect(ended[0]?.policy).toBe('sales');
    expect(ended[0]?.error).toBeTruthy();

    // Backoff: each retry starts no sooner than the base (1 s, then 2 s) after the failure.
    const evs = w.events().filter((e) => e.room === room || e.egressId !== undefined);
    const starts = evs.filter((e) => e.event === 'start_request').map((e) => e.ts);
    const fails = evs
      .filter((e) => e.event === 'status' && e.status === 'EGRESS_FAILED')
      .map((e) => e.ts);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts[1]! - fails[0]!).toBeGreaterThanOrEqual(900);
    expect(starts[2]! - fails[1]!).toBeGreaterThanOrEqual(1_900);
    // Never two at once: each start came after the previous egress failed.
    for (let i = 1; i < Math.min(starts.length, fails.length + 1); i++) {
      expect(starts[i]!).toBeGreaterThan(fails[i - 1]!);
    }
    expect(
      await d.metric('livekit_gitops_egress_start_failures_total{policy="sales",reason="failed"}'),
    ).toBeGreaterThanOrEqual(2);
    const state = await space.state();
    expect(state.recordings?.[`recording.sales.${room}`]?.failures).toBeGreaterThanOrEqual(2);
    // Each failed egress reached the sink once (webhook and reconcile fold into one event).
    const failedIds = ended.filter((e) => e.status === 'failed').map((e) => e.egressId);
    const notified = await poll('recordingEnded failed notified', () => {
      const bodies = rx.received.map((r) => JSON.parse(r.body) as EndedBody);
      const mine = bodies.filter(
        (b) => b.type === 'recordingEnded' && b.data['result'] === 'failed',
      );
      return Promise.resolve(
        failedIds.every((id) => mine.some((b) => b.data.egressId === id)) ? mine : undefined,
      );
    });
    for (const id of failedIds)
      expect(notified.filter((b) => b.data.egressId === id)).toHaveLength(1);
    expect(String(notified[0]?.data['message'])).toContain('egress failed');
    await noSecrets(
      space,
      d,
      rx.received.map((r) => r.body),
    );
    await rx.close();
  }, 90_000);
});
