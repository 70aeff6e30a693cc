/** StartEgressInput (plain data) → the SDK's egress outputs and encoding options. */
import {
  AliOSSUpload,
  AudioCodec,
  AzureBlobUpload,
  EncodedFileOutput,
  EncodedFileType,
  EncodingOptions,
  EncodingOptionsPreset,
  GCPUpload,
  ImageOutput,
  S3Upload,
  SegmentedFileOutput,
  StreamOutput,
  StreamProtocol,
  VideoCodec,
} from '@livekit/protocol';
import type { EncodedOutputs } from 'livekit-server-sdk';
import { defined } from '../../core/defined.ts';
import { LiveKitError } from '../../core/errors.ts';
import type { EgressOutput, EgressStorage, StartEgressInput } from './port.ts';

type Upload =
  | { case: 's3'; value: S3Upload }
  | { case: 'gcp'; value: GCPUpload }
  | { case: 'azure'; value: AzureBlobUpload }
  | { case: 'aliOSS'; value: AliOSSUpload }
  | { case: undefined; value?: undefined };

function upload(s: EgressStorage | undefined): Upload {
  if (!s) return { case: undefined };
  switch (s.type) {
    case 's3':
      return {
        case: 's3',
        value: new S3Upload(
          defined({
            bucket: s.bucket,
            region: s.region,
            endpoint: s.endpoint,
            accessKey: s.accessKey,
            secret: s.secret,
            sessionToken: s.sessionToken,
            forcePathStyle: s.forcePathStyle,
          }),
        ),
      };
    case 'gcp':
      return {
        case: 'gcp',
        value: new GCPUpload(defined({ bucket: s.bucket, credentials: s.credentials })),
      };
    case 'azure':
      return {
        case: 'azure',
        value: new AzureBlobUpload({
          accountName: s.accountName,
          accountKey: s.accountKey,
          containerName: s.containerName,
        }),
      };
    case 'aliOSS':
      return {
        case: 'aliOSS',
        value: new AliOSSUpload(
          defined({
            bucket: s.bucket,
            region: s.region,
            endpoint: s.endpoint,
            accessKey: s.accessKey,
            secret: s.secret,
          }),
        ),
      };
  }
}

const FILE_TYPES = { mp4: EncodedFileType.MP4, ogg: EncodedFileType.OGG, mp3: EncodedFileType.MP3 };
const PROTOCOLS = {
  rtmp: StreamProtocol.RTMP,
  srt: StreamProtocol.SRT,
  websocket: StreamProtocol.WEBSOCKET,
};
const AUDIO_CODECS = { opus: AudioCodec.OPUS, aac: AudioCodec.AAC };
const VIDEO_CODECS = {
  h264_baseline: VideoCodec.H264_BASELINE,
  h264_main: VideoCodec.H264_MAIN,
  h264_high: VideoCodec.H264_HIGH,
  vp8: VideoCodec.VP8,
};

/** The SDK's legacy start calls take at most one output of each type. */
export function toEncodedOutputs(outputs: readonly EgressOutput[], op: string): EncodedOutputs {
  const out: EncodedOutputs = {};
  for (const o of outputs) {
    if (out[o.type]) {
      throw new LiveKitError('invalid', op, `at most one ${o.type} output per egress`);
    }
    switch (o.type) {
      case 'file':
        out.file = new EncodedFileOutput(
          defined({
            fileType: o.fileType ? FILE_TYPES[o.fileType] : undefined,
            filepath: o.filepath,
            disableManifest: o.disableManifest,
            output: upload(o.storage),
          }),
        );
        break;
      case 'stream':
        out.stream = new StreamOutput({ protocol: PROTOCOLS[o.protocol], urls: [...o.urls] });
        break;
      case 'segments':
        out.segments = new SegmentedFileOutput(
          defined({
            filenamePrefix: o.filenamePrefix,
            playlistName: o.playlistName,
            livePlaylistName: o.livePlaylistName,
            segmentDuration: o.segmentDuration,
            output: upload(o.storage),
          }),
        );
        break;
      case 'images':
        out.images = new ImageOutput(
          defined({
            captureInterval: o.captureInterval,
            width: o.width,
            height: o.height,
            filenamePrefix: o.filenamePrefix,
            output: upload(o.storage),
          }),
        );
        break;
    }
  }
  if (Object.keys(out).length === 0) {
    throw new LiveKitError('invalid', op, 'an egress needs at least one output');
  }
  return out;
}

export function toEncoding(
  e: StartEgressInput['encoding'],
): EncodingOptionsPreset | EncodingOptions | undefined {
  if (!e) return undefined;
  if ('preset' in e) return EncodingOptionsPreset[e.preset];
  const a = e.advanced;
  return new EncodingOptions(
    defined({
      width: a.width,
      height: a.height,
      depth: a.depth,
      framerate: a.framerate,
      audioCodec: a.audioCodec ? AUDIO_CODECS[a.audioCodec] : undefined,
      audioBitrate: a.audioBitrate,
      audioFrequency: a.audioFrequency,
      videoCodec: a.videoCodec ? VIDEO_CODECS[a.videoCodec] : undefined,
      videoBitrate: a.videoBitrate,
      keyFrameInterval: a.keyFrameInterval,
    }),
  );
}
