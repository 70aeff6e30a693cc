import Type, { type Static } from 'typebox';
import { closed } from '../../spec/schema-common.ts';
import { NAME_MAX } from '../../spec/spec-constants.ts';

export const IngressSpec = closed(
  {
    inputType: Type.Enum(['rtmp', 'whip', 'url'], { description: 'How media arrives.' }),
    roomName: Type.String({ minLength: 1, maxLength: NAME_MAX }),
    participantIdentity: Type.String({ minLength: 1, maxLength: NAME_MAX }),
    participantName: Type.Optional(Type.String()),
    participantMetadata: Type.Optional(Type.String()),
    enableTranscoding: Type.Optional(Type.Boolean()),
    url: Type.Optional(
      Type.String({ minLength: 1, description: 'Source URL; required for inputType url.' }),
    ),
    audio: Type.Optional(
      closed({ preset: Type.Optional(Type.Enum(['OPUS_STEREO_96KBPS', 'OPUS_MONO_64KBS'])) }),
    ),
    video: Type.Optional(
      closed({
        preset: Type.Optional(
          Type.Enum([
            'H264_720P_30FPS_3_LAYERS',
            'H264_1080P_30FPS_3_LAYERS',
            'H264_540P_25FPS_2_LAYERS',
            'H264_720P_30FPS_1_LAYER',
            'H264_1080P_30FPS_1_LAYER',
            'H264_720P_30FPS_3_LAYERS_HIGH_MOTION',
            'H264_1080P_30FPS_3_LAYERS_HIGH_MOTION',
            'H264_540P_25FPS_2_LAYERS_HIGH_MOTION',
            'H264_720P_30FPS_1_LAYER_HIGH_MOTION',
            'H264_1080P_30FPS_1_LAYER_HIGH_MOTION',
          ]),
        ),
      }),
    ),
  },
  {
    title: 'Ingress spec',
    if: { properties: { inputType: { const: 'url' } }, required: ['inputType'] },
    then: { required: ['url'] },
  },
);

export type IngressSpec = Static<typeof IngressSpec>;
