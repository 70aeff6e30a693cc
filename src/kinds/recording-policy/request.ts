/**
 * The spec-shaped egress request of a policy → the port's StartEgressInput, with secrets resolved
 * (only here, at execution: plans and state hold references).
 */
import { defined } from '../../core/defined.ts';
import type { JsonValue } from '../../core/plan.ts';
import type {
  AdvancedEncoding,
  EgressOutput,
  EgressSource,
  EgressStorage,
  LiveKitPort,
  StartEgressInput,
} from '../../adapters/livekit/port.ts';
import { isSecretRef, type SecretScope } from '../../spec/secrets.ts';
import type { RecordingOutput, RecordingPolicySpec } from './schema.ts';

type Storage = NonNullable<NonNullable<RecordingOutput['file']>['s3']>;
type AnyStorage = {
  s3?: Storage;
  gcp?: NonNullable<NonNullable<RecordingOutput['file']>['gcp']>;
  azure?: NonNullable<NonNullable<RecordingOutput['file']>['azure']>;
  aliOSS?: NonNullable<NonNullable<RecordingOutput['file']>['aliOSS']>;
};

function secret(v: unknown, ctx: SecretScope): string | undefined {
  if (v === undefined) return undefined;
  if (isSecretRef(v)) return ctx.secrets.resolve(v, ctx.baseDir);
  return typeof v === 'string' ? v : undefined;
}

function storageOf(o: AnyStorage, ctx: SecretScope): EgressStorage | undefined {
  if (o.s3) {
    return defined({
      type: 's3',
      bucket: o.s3.bucket,
      region: o.s3.region,
      endpoint: o.s3.endpoint,
      accessKey: secret(o.s3.accessKey, ctx),
      secret: secret(o.s3.secret, ctx),
      sessionToken: secret(o.s3.sessionToken, ctx),
      forcePathStyle: o.s3.forcePathStyle,
    });
  }
  if (o.gcp) {
    return defined({
      type: 'gcp',
      bucket: o.gcp.bucket,
      credentials: secret(o.gcp.credentials, ctx),
    });
  }
  if (o.azure) {
    return {
      type: 'azure',
      accountName: o.azure.accountName,
      accountKey: secret(o.azure.accountKey, ctx) ?? '',
      containerName: o.azure.containerName,
    };
  }
  if (o.aliOSS) {
    return defined({
      type: 'aliOSS',
      bucket: o.aliOSS.bucket,
      region: o.aliOSS.region,
      endpoint: o.aliOSS.endpoint,
      accessKey: secret(o.aliOSS.accessKey, ctx) ?? '',
      secret: secret(o.aliOSS.secret, ctx) ?? '',
    });
  }
  return undefined;
}

function outputOf(o: RecordingOutput, ctx: SecretScope): EgressOutput {
  if (o.file) {
    const f = o.file;
    return defined({
      type: 'file',
      fileType: f.fileType,
      filepath: f.filepath,
      disableManifest: f.disableManifest,
      storage: storageOf(f, ctx),
    });
  }
  if (o.stream) {
    return {
      type: 'stream',
      protocol: o.stream.protocol,
      urls: o.stream.urls.map((u) => secret(u, ctx) ?? ''),
    };
  }
  if (o.segments) {
    const s = o.segments;
    return defined({
      type: 'segments',
      filenamePrefix: s.filenamePrefix,
      playlistName: s.playlistName,
      livePlaylistName: s.livePlaylistName,
      segmentDuration: s.segmentDuration,
      storage: storageOf(s, ctx),
    });
  }
  const i = o.images ?? {};
  return defined({
    type: 'images',
    captureInterval: i.captureInterval,
    width: i.width,
    height: i.height,
    filenamePrefix: i.filenamePrefix,
    storage: storageOf(i, ctx),
  });
}

const AUDIO: Record<string, AdvancedEncoding['audioCodec']> = { OPUS: 'opus', AAC: 'aac' };
const VIDEO: Record<string, AdvancedEncoding['videoCodec']> = {
  H264_BASELINE: 'h264_baseline',
  H264_MAIN: 'h264_main',
  H264_HIGH: 'h264_high',
  VP8: 'vp8',
};

function encodingOf(e: RecordingPolicySpec['encoding']): StartEgressInput['encoding'] {
  if (!e) return undefined;
  if (e.preset) return { preset: e.preset };
  return {
    advanced: defined({
      width: e.width,
      height: e.height,
      depth: e.depth,
      framerate: e.framerate,
      audioCodec: e.audioCodec ? AUDIO[e.audioCodec] : undefined,
      audioBitrate: e.audioBitrate,
      audioFrequency: e.audioFrequency,
      videoCodec: e.videoCodec ? VIDEO[e.videoCodec] : undefined,
      videoBitrate: e.videoBitrate,
      keyFrameInterval: e.keyFrameInterval,
    }),
  };
}

/** trackComposite names a participant; its current microphone and camera tracks are recorded. */
async function sourceOf(
  r: RecordingPolicySpec,
  room: string,
  port: LiveKitPort,
): Promise<EgressSource> {
  if (r.roomComposite) {
    const { layout, audioOnly, videoOnly, customBaseUrl } = r.roomComposite;
    return defined({ type: 'roomComposite', layout, audioOnly, videoOnly, customBaseUrl });
  }
  if (r.participant) {
    const { identity, screenShare } = r.participant;
    return defined({ type: 'participant', identity, screenShare });
  }
  if (r.trackComposite) {
    const tc = r.trackComposite;
    const who = (await port.listParticipants(room)).find((p) => p.identity === tc.identity);
    const track = (source: string): string | undefined =>
      who?.tracks.find((t) => t.source === source)?.sid;
    return defined({
      type: 'trackComposite',
      audioTrackId: tc.audio === false ? undefined : track('microphone'),
      videoTrackId: tc.video === false ? undefined : track('camera'),
    });
  }
  const w = r.web ?? { url: '' };
  const { url, audioOnly, videoOnly, awaitStartSignal } = w;
  return defined({ type: 'web', url, audioOnly, videoOnly, awaitStartSignal });
}

export async function buildStartInput(
  request: { [key: string]: JsonValue },
  room: string,
  ctx: SecretScope,
  port: LiveKitPort,
): Promise<StartEgressInput> {
  const r = request as unknown as RecordingPolicySpec;
  const encoding = encodingOf(r.encoding);
  return {
    roomName: room,
    source: await sourceOf(r, room, port),
    ...(encoding ? { encoding } : {}),
    outputs: r.outputs.map((o) => outputOf(o, ctx)),
  };
}
