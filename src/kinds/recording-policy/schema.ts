import Type, { type Static } from 'typebox';
import { SOURCE_FIELDS, STORAGE_FIELDS } from './fields.ts';
import {
  closed,
  RoomSelector,
  Schedule,
  SecretRef,
  stringMap,
  uint32,
} from '../../spec/schema-common.ts';
import { NAME_MAX } from '../../spec/spec-constants.ts';

const S3 = closed(
  {
    bucket: Type.String({ minLength: 1 }),
    region: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    accessKey: Type.Optional(SecretRef),
    secret: Type.Optional(SecretRef),
    sessionToken: Type.Optional(SecretRef),
    forcePathStyle: Type.Optional(Type.Boolean()),
    metadata: Type.Optional(stringMap('Object metadata.')),
    tagging: Type.Optional(Type.String()),
    contentDisposition: Type.Optional(Type.String()),
  },
  { title: 'S3 storage' },
);
const Gcp = closed(
  { bucket: Type.String({ minLength: 1 }), credentials: Type.Optional(SecretRef) },
  { title: 'GCP storage' },
);
const Azure = closed(
  {
    accountName: Type.String({ minLength: 1 }),
    accountKey: SecretRef,
    containerName: Type.String({ minLength: 1 }),
  },
  { title: 'Azure Blob storage' },
);
const AliOss = closed(
  {
    bucket: Type.String({ minLength: 1 }),
    region: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    accessKey: SecretRef,
    secret: SecretRef,
  },
  { title: 'AliOSS storage' },
);

/** Upload targets; none means the egress worker keeps the file locally. */
const storage = {
  s3: Type.Optional(S3),
  gcp: Type.Optional(Gcp),
  azure: Type.Optional(Azure),
  aliOSS: Type.Optional(AliOss),
};

const FileOutput = closed(
  {
    fileType: Type.Optional(Type.Enum(['mp4', 'ogg', 'mp3'])),
    filepath: Type.Optional(Type.String({ description: 'Templates: {room_name}, {time}, ...' })),
    disableManifest: Type.Optional(Type.Boolean()),
    ...storage,
  },
  { title: 'File output' },
);
const StreamOutput = closed(
  {
    protocol: Type.Enum(['rtmp', 'srt', 'websocket']),
    urls: Type.Array(Type.Union([Type.String({ minLength: 1 }), SecretRef]), {
      minItems: 1,
      description: 'Stream URLs; use a secret reference when the URL carries a stream key.',
    }),
  },
  { title: 'Stream output' },
);
const SegmentsOutput = closed(
  {
    filenamePrefix: Type.Optional(Type.String()),
    playlistName: Type.Optional(Type.String()),
    livePlaylistName: Type.Optional(Type.String()),
    segmentDuration: Type.Optional(uint32('Segment length in seconds.', { minimum: 1 })),
    filenameSuffix: Type.Optional(Type.Enum(['index', 'timestamp'])),
    disableManifest: Type.Optional(Type.Boolean()),
    ...storage,
  },
  { title: 'HLS segments output' },
);
const ImagesOutput = closed(
  {
    captureInterval: Type.Optional(uint32('Seconds between images.', { minimum: 1 })),
    width: Type.Optional(uint32('Pixels.')),
    height: Type.Optional(uint32('Pixels.')),
    filenamePrefix: Type.Optional(Type.String()),
    filenameSuffix: Type.Optional(Type.Enum(['index', 'timestamp'])),
    imageCodec: Type.Optional(Type.Enum(['default', 'jpeg'])),
    disableManifest: Type.Optional(Type.Boolean()),
    ...storage,
  },
  { title: 'Images output' },
);

export const OUTPUT_FIELDS = ['file', 'stream', 'segments', 'images'] as const;
export const Output = closed(
  {
    file: Type.Optional(FileOutput),
    stream: Type.Optional(StreamOutput),
    segments: Type.Optional(SegmentsOutput),
    images: Type.Optional(ImagesOutput),
  },
  { title: 'Output', oneOf: OUTPUT_FIELDS.map((f) => ({ required: [f] })) },
);

export const ENCODING_PRESETS = [
  'H264_720P_30',
  'H264_720P_60',
  'H264_1080P_30',
  'H264_1080P_60',
  'PORTRAIT_H264_720P_30',
  'PORTRAIT_H264_720P_60',
  'PORTRAIT_H264_1080P_30',
  'PORTRAIT_H264_1080P_60',
  'PASSTHROUGH',
] as const;

/** Either `{preset}` alone, or advanced fields (LiveKit EncodingOptions). */
export const Encoding = closed(
  {
    preset: Type.Optional(Type.Enum([...ENCODING_PRESETS])),
    width: Type.Optional(uint32('Pixels (default 1920).')),
    height: Type.Optional(uint32('Pixels (default 1080).')),
    depth: Type.Optional(uint32('Bits (default 24).')),
    framerate: Type.Optional(uint32('Frames per second (default 30).')),
    audioCodec: Type.Optional(Type.Enum(['DEFAULT_AC', 'OPUS', 'AAC', 'AC_MP3'])),
    audioBitrate: Type.Optional(uint32('kbps (default 128).')),
    audioFrequency: Type.Optional(uint32('Hz (default 44100).')),
    videoCodec: Type.Optional(
      Type.Enum(['DEFAULT_VC', 'H264_BASELINE', 'H264_MAIN', 'H264_HIGH', 'VP8']),
    ),
    videoBitrate: Type.Optional(uint32('kbps (default 4500).')),
    keyFrameInterval: Type.Optional(Type.Number({ minimum: 0, description: 'Seconds.' })),
  },
  {
    title: 'Encoding',
    minProperties: 1,
    dependentSchemas: { preset: { maxProperties: 1 } },
  },
);

export const RecordingPolicySpec = closed(
  {
    rooms: RoomSelector,
    when: Type.Optional(
      closed({
        minParticipants: Type.Optional(
          uint32('Participants needed before recording starts (default 1).'),
        ),
        minPublishers: Type.Optional(
          uint32('Publishers needed before recording starts (default 0).'),
        ),
        schedule: Type.Optional(Schedule),
      }),
    ),
    roomComposite: Type.Optional(
      closed({
        layout: Type.Optional(Type.String({ examples: ['speaker', 'grid', 'single-speaker'] })),
        audioOnly: Type.Optional(Type.Boolean()),
        videoOnly: Type.Optional(Type.Boolean()),
        customBaseUrl: Type.Optional(Type.String()),
        audioMixing: Type.Optional(
          Type.Enum(['default', 'dualChannelAgent', 'dualChannelAlternate']),
        ),
      }),
    ),
    participant: Type.Optional(
      closed({
        identity: Type.String({ minLength: 1, maxLength: NAME_MAX }),
        screenShare: Type.Optional(Type.Boolean()),
      }),
    ),
    trackComposite: Type.Optional(
      closed(
        {
          identity: Type.String({ minLength: 1, maxLength: NAME_MAX }),
          audio: Type.Optional(
            Type.Boolean({ description: 'Include the microphone (default true).' }),
          ),
          video: Type.Optional(Type.Boolean({ description: 'Include the camera (default true).' })),
        },
        { description: "One participant's audio and video tracks, composited." },
      ),
    ),
    web: Type.Optional(
      closed({
        url: Type.String({ minLength: 1 }),
        audioOnly: Type.Optional(Type.Boolean()),
        videoOnly: Type.Optional(Type.Boolean()),
        awaitStartSignal: Type.Optional(Type.Boolean()),
      }),
    ),
    encoding: Type.Optional(Encoding),
    outputs: Type.Array(Output, { minItems: 1 }),
  },
  { title: 'RecordingPolicy spec', oneOf: SOURCE_FIELDS.map((f) => ({ required: [f] })) },
);

export type RecordingPolicySpec = Static<typeof RecordingPolicySpec>;
export type RecordingOutput = Static<typeof Output>;

export { SOURCE_FIELDS, STORAGE_FIELDS };
