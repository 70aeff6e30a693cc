/**
 * Ingress as a persistent kind. IngressInfo has no metadata of its own (participantMetadata is the
 * participant's), so no marker is written: ownership is the server id in state, and a lost create
 * is recognised by name, room, identity and input type. `inputType` and `url` cannot change in
 * place (replace: a new stream key). The stream key is never shown; the server-made URL is.
 */
import type { IngressInput, IngressUpdate } from '../../adapters/livekit/port.ts';
import type { LiveIngress } from '../../core/live.ts';
import { bool, defined, str, type Fields, type PersistentKind } from '../sip-common/kind.ts';
import type { Json } from '../sip-common/secrets.ts';

const INPUT_TYPES = ['rtmp', 'whip', 'url'] as const;

function inputType(spec: Json): IngressInput['inputType'] {
  const t = str(spec['inputType']);
  return INPUT_TYPES.find((x) => x === t) ?? 'rtmp';
}

/** `audio.preset` / `video.preset` of the spec. */
function presetOf(spec: Json, track: 'audio' | 'video'): string | undefined {
  const o = spec[track];
  return o !== null && typeof o === 'object' && !Array.isArray(o) && o !== undefined
    ? str(o['preset'])
    : undefined;
}

/** Declared encoding as compared: `{preset}` or `{}` (LiveKit's default) when the spec names none. */
function declaredEncoding(spec: Json, track: 'audio' | 'video'): Fields | undefined {
  if (spec[track] === undefined) return undefined;
  const preset = presetOf(spec, track);
  return preset === undefined ? {} : { preset };
}

const encoding = (preset: string): Fields => (preset === '' ? {} : { preset });

function updateInput(name: string, spec: Json): IngressUpdate {
  const input: IngressUpdate = {
    name,
    roomName: str(spec['roomName']) ?? '',
    participantIdentity: str(spec['participantIdentity']) ?? '',
  };
  const participantName = str(spec['participantName']);
  if (participantName !== undefined) input.participantName = participantName;
  const participantMetadata = str(spec['participantMetadata']);
  if (participantMetadata !== undefined) input.participantMetadata = participantMetadata;
  const enableTranscoding = bool(spec['enableTranscoding']);
  if (enableTranscoding !== undefined) input.enableTranscoding = enableTranscoding;
  const audioPreset = presetOf(spec, 'audio');
  if (audioPreset !== undefined) input.audioPreset = audioPreset;
  const videoPreset = presetOf(spec, 'video');
  if (videoPreset !== undefined) input.videoPreset = videoPreset;
  return input;
}

export const ingressKind: PersistentKind<LiveIngress> = {
  kind: 'Ingress',
  prefix: 'ingress',
  id: (l) => l.ingressId,
  name: (l) => l.name,
  declared: (spec) =>
    defined({
      inputType: str(spec['inputType']),
      // The URL of a url-input ingress is the source the user wrote; for RTMP/WHIP it is an output.
      url: str(spec['url']),
      roomName: str(spec['roomName']),
      participantIdentity: str(spec['participantIdentity']),
      participantName: str(spec['participantName']),
      participantMetadata: str(spec['participantMetadata']),
      enableTranscoding: bool(spec['enableTranscoding']),
      audio: declaredEncoding(spec, 'audio'),
      video: declaredEncoding(spec, 'video'),
    }),
  observed: (l) => ({
    inputType: l.inputType,
    ...(l.inputType === 'url' ? { url: l.url } : {}),
    roomName: l.roomName,
    participantIdentity: l.participantIdentity,
    participantName: l.participantName,
    participantMetadata: l.participantMetadata,
    enableTranscoding: l.enableTranscoding,
    audio: encoding(l.audioPreset),
    video: encoding(l.videoPreset),
  }),
  outputs: (l) => (l.inputType === 'url' ? {} : { url: l.url }),
  immutable: ['inputType', 'url'],
  unsupported: [],
  matchKey: (spec) => ({
    inputType: inputType(spec),
    roomName: str(spec['roomName']) ?? '',
    participantIdentity: str(spec['participantIdentity']) ?? '',
  }),
  adoptable: (l, m) =>
    l.inputType === m['inputType'] &&
    l.roomName === m['roomName'] &&
    l.participantIdentity === m['participantIdentity'],
  list: (port) => port.listIngress(),
  create: (name, spec, _payload, port) => {
    const input: IngressInput = { ...updateInput(name, spec), inputType: inputType(spec) };
    const url = str(spec['url']);
    if (url !== undefined) input.url = url;
    return port.createIngress(input);
  },
  update: (id, name, spec, _payload, port) => port.updateIngress(id, updateInput(name, spec)),
  remove: (id, port) => port.deleteIngress(id),
};
