import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EgressClient,
  type EgressInfo,
  EgressStatus,
  DirectFileOutput,
  EncodedFileOutput,
  RoomServiceClient,
  S3Upload,
  SegmentedFileOutput,
  ServerError,
  StreamOutput,
  StreamProtocol,
} from 'livekit-server-sdk';
import {
  EgressSourceType,
  FileOutput,
  Output,
  StartEgressRequest,
  TemplateSource,
} from '@livekit/protocol';
import {
  buildEgressWorker,
  startEgressWorker,
  type EgressWorker,
} from '../../harness/egress-worker.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import { startWebhookSink, type WebhookSink } from './webhook-sink.ts';

// The stand-in egress worker against a real livekit-server + Redis. This file starts its own
// server and Redis: the "no worker" case needs a Redis no other test has a worker on.
// One worker at a time, so which worker claims a start is never in doubt.

let lk: LiveKitEnv;
let sink: WebhookSink;
let rooms: RoomServiceClient;

function egressClient(requestTimeoutS = 10): EgressClient {
  return new EgressClient(lk.url, lk.apiKey, lk.apiSecret, { requestTimeout: requestTimeoutS });
}

async function poll<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err as Error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms${last ? ` (last error: ${last.message})` : ''}`,
  );
}

async function newRoom(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await rooms.createRoom({ name, emptyTimeout: 600 });
  return name;
}

function fileOutput(): EncodedFileOutput {
  return new EncodedFileOutput({
    filepath: 'recordings/{room_name}/{time}.mp4',
    output: {
      case: 's3',
      value: new S3Upload({ bucket: 'rec', region: 'eu-west-1', accessKey: 'AK', secret: 'SK' }),
    },
  });
}

async function statusOf(egressId: string): Promise<EgressStatus | undefined> {
  const [info] = await egressClient().listEgress({ egressId });
  return info?.status;
}

function isEgressEvent(name: string, egressId: string, status?: EgressStatus) {
  return (e: { event: string; egressInfo?: EgressInfo }): boolean =>
    e.event === name &&
    e.egressInfo?.egressId === egressId &&
    (status === undefined || e.egressInfo.status === status);
}

async function withWorker<T>(
  opts: Omit<Parameters<typeof startEgressWorker>[0], 'redisAddress'>,
  body: (w: EgressWorker) => Promise<T>,
): Promise<T> {
  const w = await startEgressWorker({ redisAddress: lk.redisAddress, ...opts });
  try {
    return await body(w);
  } finally {
    await w.kill();
  }
}

beforeAll(async () => {
  // Build first: a cold build takes a while and must not eat a test's timeout.
  await buildEgressWorker();
  const apiKey = `APIeg${randomBytes(5).toString('hex')}`;
  const apiSecret = randomBytes(32).toString('base64url');
  sink = await startWebhookSink(apiKey, apiSecret);
  lk = await startLiveKit({ apiKey, apiSecret, webhookUrls: [sink.url] });
  rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
}, 600_000);

afterAll(async () => {
  await lk?.stop();
  await sink?.stop();
});

describe('stand-in egress worker against livekit-server', () => {
  it('with no worker at all, StartEgress gets no answer and nothing is stored', async () => {
    const room = await newRoom('no-worker');
    // The server would answer 503 only after 18-27 s; a short client timeout keeps this bounded.
    const err = await egressClient(1.5)
      .startRoomCompositeEgress(room, { file: fileOutput() })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err).toBeInstanceOf(Error);
    expect(err?.name).toBe('TimeoutError');
    expect(await egressClient().listEgress({ roomName: room })).toEqual([]);
  });

  it('walks STARTING -> ACTIVE -> ENDING -> COMPLETE with file results and webhooks', async () => {
    await withWorker({ activeDelayMs: 200 }, async (w) => {
      const room = await newRoom('rec-main');
      const started = await egressClient().startRoomCompositeEgress(room, { file: fileOutput() });
      expect(started.status).toBe(EgressStatus.EGRESS_STARTING);
      expect(started.roomName).toBe(room);
      expect(started.egressId).toMatch(/^EG_/);
      expect(started.request.case).toBe('roomComposite');
      const id = started.egressId;
      expect(w.egressIds()).toEqual([id]);

      const active = await poll('egress listed ACTIVE', async () => {
        const list = await egressClient().listEgress({ roomName: room, active: true });
        return list.find((e) => e.egressId === id && e.status === EgressStatus.EGRESS_ACTIVE);
      });
      expect(active.startedAt).toBeGreaterThan(0n);
      // ns, as the real worker reports: after 2020-01-01 in ns, not s or ms.
      expect(active.startedAt).toBeGreaterThan(1_577_836_800n * 1_000_000_000n);
      expect(active.roomId).toMatch(/^RM_/);

      await sink.waitFor(isEgressEvent('egress_started', id));
      await sink.waitFor(isEgressEvent('egress_updated', id, EgressStatus.EGRESS_ACTIVE));

      const stopping = await egressClient().stopEgress(id);
      expect(stopping.status).toBe(EgressStatus.EGRESS_ENDING);
      expect(stopping.details).toContain('StopEgress API');

      const ended = await sink.waitFor(isEgressEvent('egress_ended', id));
      const info = ended.egressInfo!;
      expect(info.status).toBe(EgressStatus.EGRESS_COMPLETE);
      expect(info.endedAt).toBeGreaterThan(info.startedAt);
      expect(info.fileResults).toHaveLength(1);
      const file = info.fileResults[0]!;
      expect(file.filename).toMatch(
        new RegExp(`^recordings/${room}/\\d{4}-\\d{2}-\\d{2}T\\d{6}\\.mp4$`),
      );
      expect(file.location).toBe(`https://rec.s3.amazonaws.com/${file.filename}`);
      expect(file.size).toBeGreaterThan(0n);
      expect(file.duration).toBeGreaterThan(0n);
      await sink.waitFor(isEgressEvent('egress_updated', id, EgressStatus.EGRESS_ENDING));

      await poll('egress stored COMPLETE', async () =>
        (await statusOf(id)) === EgressStatus.EGRESS_COMPLETE ? true : undefined,
      );
      expect(await egressClient().listEgress({ roomName: room, active: true })).toEqual([]);
    });
  });

  it('a stop before ACTIVE gives ABORTED', async () => {
    await withWorker({ activeDelayMs: 30_000 }, async () => {
      const room = await newRoom('abort');
      const started = await egressClient().startRoomCompositeEgress(room, { file: fileOutput() });
      const stopped = await egressClient().stopEgress(started.egressId);
      expect(stopped.status).toBe(EgressStatus.EGRESS_ABORTED);
      const ended = await sink.waitFor(isEgressEvent('egress_ended', started.egressId));
      expect(ended.egressInfo?.status).toBe(EgressStatus.EGRESS_ABORTED);
    });
  });

  it('SIGTERM ends the running egresses as COMPLETE', async () => {
    const w = await startEgressWorker({ redisAddress: lk.redisAddress });
    try {
      const room = await newRoom('sigterm');
      const { egressId } = await egressClient().startRoomCompositeEgress(room, {
        file: fileOutput(),
      });
      await poll('ACTIVE', async () =>
        (await statusOf(egressId)) === EgressStatus.EGRESS_ACTIVE ? true : undefined,
      );
      await w.stop();
      const ended = await sink.waitFor(isEgressEvent('egress_ended', egressId));
      expect(ended.egressInfo?.status).toBe(EgressStatus.EGRESS_COMPLETE);
      expect(ended.egressInfo?.fileResults).toHaveLength(1);
    } finally {
      await w.kill();
    }
  });

  it('an answer after the client deadline still leaves an egress the server lists (lost answer)', async () => {
    await withWorker({ startDelayMs: 3_000 }, async (w) => {
      const room = await newRoom('late');
      const err = await egressClient(1.5)
        .startRoomCompositeEgress(room, { file: fileOutput() })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(err?.name).toBe('TimeoutError');
      const listed = await poll('late egress listed', async () => {
        const [e] = await egressClient().listEgress({ roomName: room, active: true });
        return e;
      });
      expect(listed.roomName).toBe(room);
      expect(w.egressIds()).toEqual([listed.egressId]);
      await poll('late egress ACTIVE', async () =>
        (await statusOf(listed.egressId)) === EgressStatus.EGRESS_ACTIVE ? true : undefined,
      );
      // The late reply reaches the server; it must not make a second egress.
      await w.waitForEvent((e) => e.event === 'status' && e.egressId === listed.egressId);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await egressClient().listEgress({ roomName: room })).toHaveLength(1);
      expect((await egressClient().stopEgress(listed.egressId)).status).toBe(
        EgressStatus.EGRESS_ENDING,
      );
    });
  });

  it('kill -9 of the worker leaves the egress ACTIVE, and StopEgress on it fails with deadline_exceeded', async () => {
    const w = await startEgressWorker({ redisAddress: lk.redisAddress });
    const room = await newRoom('killed');
    const { egressId } = await egressClient().startRoomCompositeEgress(room, {
      file: fileOutput(),
    });
    await poll('ACTIVE', async () =>
      (await statusOf(egressId)) === EgressStatus.EGRESS_ACTIVE ? true : undefined,
    );
    await w.kill();
    const t0 = performance.now();
    const err = await egressClient(15)
      .stopEgress(egressId)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    const stopMs = performance.now() - t0;
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('deadline_exceeded');
    expect((err as ServerError).status).toBe(408);
    const [still] = await egressClient().listEgress({ roomName: room, active: true });
    expect(still?.egressId).toBe(egressId);
    expect(still?.status).toBe(EgressStatus.EGRESS_ACTIVE);
    expect(sink.events().some(isEgressEvent('egress_ended', egressId))).toBe(false);
    // Measured, not asserted (speed belongs to bench/): see docs/egress-stand-in.md.
    process.stdout.write(
      `stopEgress on a dead worker's egress failed after ${stopMs.toFixed(0)} ms\n`,
    );
  });

  it('reads every request type: participant, track, track composite, web and the unified request', async () => {
    await withWorker({}, async () => {
      const room = await newRoom('types');
      const c = egressClient();
      const started = [
        await c.startParticipantEgress(room, 'alice', { file: fileOutput() }),
        await c.startTrackEgress(
          room,
          new DirectFileOutput({ filepath: 'tracks/{track_id}' }),
          'TR_a',
        ),
        await c.startTrackCompositeEgress(
          room,
          {
            stream: new StreamOutput({ protocol: StreamProtocol.RTMP, urls: ['rtmp://x/live/k'] }),
          },
          { audioTrackId: 'TR_b' },
        ),
        await c.startWebEgress('https://example.com/', {
          segments: new SegmentedFileOutput({ filenamePrefix: 'hls/web' }),
        }),
        await c.startEgress(
          new StartEgressRequest({
            roomName: room,
            source: { case: 'template', value: new TemplateSource({ layout: 'grid' }) },
            outputs: [
              new Output({
                config: { case: 'file', value: new FileOutput({ filepath: 'u/{room_name}.mp4' }) },
              }),
            ],
          }),
        ),
      ];
      expect(started.map((e) => e.request.case)).toEqual([
        'participant',
        'track',
        'trackComposite',
        'web',
        'egress',
      ]);
      expect(started.map((e) => e.roomName)).toEqual([room, room, room, '', room]);
      expect(started.map((e) => e.sourceType)).toEqual([
        EgressSourceType.SDK,
        EgressSourceType.SDK,
        EgressSourceType.SDK,
        EgressSourceType.WEB,
        EgressSourceType.WEB,
      ]);
      for (const e of started) {
        await poll('ACTIVE', async () =>
          (await statusOf(e.egressId)) === EgressStatus.EGRESS_ACTIVE ? true : undefined,
        );
        await c.stopEgress(e.egressId);
      }
      const ended = await Promise.all(
        started.map(
          async (e) => (await sink.waitFor(isEgressEvent('egress_ended', e.egressId))).egressInfo!,
        ),
      );
      expect(ended.every((e) => e.status === EgressStatus.EGRESS_COMPLETE)).toBe(true);
      expect(ended[0]!.fileResults[0]!.filename).toMatch(new RegExp(`^recordings/${room}/`));
      expect(ended[1]!.fileResults[0]!.filename).toBe('tracks/TR_a');
      expect(ended[2]!.streamResults.map((s) => s.url)).toEqual(['rtmp://x/live/k']);
      expect(ended[3]!.segmentResults[0]!.playlistName).toBe('hls/web-playlist.m3u8');
      expect(ended[4]!.fileResults[0]!.filename).toBe(`u/${room}.mp4`);
    });
  });

  it('--fail-start answers StartEgress with an error and stores nothing', async () => {
    await withWorker({ failStart: true }, async () => {
      const room = await newRoom('fail-start');
      const err = await egressClient()
        .startRoomCompositeEgress(room, { file: fileOutput() })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(err).toBeInstanceOf(ServerError);
      expect((err as ServerError).code).toBe('internal');
      expect(await egressClient().listEgress({ roomName: room })).toEqual([]);
    });
  });

  it('--fail-after reports FAILED with an error', async () => {
    await withWorker({ failAfterMs: 200 }, async () => {
      const room = await newRoom('fail-after');
      const { egressId } = await egressClient().startRoomCompositeEgress(room, {
        file: fileOutput(),
      });
      const ended = await sink.waitFor(isEgressEvent('egress_ended', egressId));
      expect(ended.egressInfo?.status).toBe(EgressStatus.EGRESS_FAILED);
      expect(ended.egressInfo?.error).toContain('fail-after');
      expect(await statusOf(egressId)).toBe(EgressStatus.EGRESS_FAILED);
    });
  });
});
