/**
 * The ingress encoding presets and SIP header, encryption and duration fields, both ways between
 * the protobuf enums/Durations and the plain strings and milliseconds of src/core/live.ts.
 */
import {
  IngressAudioEncodingPreset,
  IngressAudioOptions,
  IngressVideoEncodingPreset,
  IngressVideoOptions,
  type SIPHeaderOptions,
  type SIPInboundTrunkInfo,
  type SIPMediaEncryption,
} from '@livekit/protocol';
import type { LiveSipHeaders, SipIncludeHeaders, SipMediaEncryption } from '../../core/live.ts';

const INCLUDE_HEADERS: readonly SipIncludeHeaders[] = ['none', 'x-headers', 'all'];
const MEDIA_ENCRYPTION: readonly SipMediaEncryption[] = ['disable', 'allow', 'require'];

export function includeHeadersName(n: SIPHeaderOptions): SipIncludeHeaders {
  return INCLUDE_HEADERS[n] ?? 'none';
}

export function includeHeadersNumber(h: SipIncludeHeaders | undefined): SIPHeaderOptions {
  return Math.max(0, INCLUDE_HEADERS.indexOf(h ?? 'none'));
}

export function mediaEncryptionName(n: SIPMediaEncryption): SipMediaEncryption {
  return MEDIA_ENCRYPTION[n] ?? 'disable';
}

export function mediaEncryptionNumber(m: SipMediaEncryption | undefined): SIPMediaEncryption {
  return Math.max(0, MEDIA_ENCRYPTION.indexOf(m ?? 'disable'));
}

/** google.protobuf.Duration (not exported by @livekit/protocol; the message classes take plain fields). */
type Duration = NonNullable<SIPInboundTrunkInfo['ringingTimeout']>;
interface DurationFields {
  seconds: bigint;
  nanos: number;
}

/** Protobuf Duration → whole milliseconds (0 when unset). */
export function durationMs(d: Duration | undefined): number {
  if (d === undefined) return 0;
  return Number(d.seconds) * 1000 + Math.round(d.nanos / 1_000_000);
}

/** Milliseconds → protobuf Duration; unset for 0 or undefined (LiveKit's default applies). */
export function toDuration(ms: number | undefined): DurationFields | undefined {
  if (ms === undefined || ms <= 0) return undefined;
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

interface HeaderInput {
  headers?: Record<string, string>;
  headersToAttributes?: Record<string, string>;
  attributesToHeaders?: Record<string, string>;
  includeHeaders?: SipIncludeHeaders;
  mediaEncryption?: SipMediaEncryption;
}

/** The header/encryption fields of a trunk input, as the protobuf trunk message takes them. */
export function headerFieldsInfo(t: HeaderInput): {
  headers: Record<string, string>;
  headersToAttributes: Record<string, string>;
  attributesToHeaders: Record<string, string>;
  includeHeaders: SIPHeaderOptions;
  mediaEncryption: SIPMediaEncryption;
} {
  return {
    headers: { ...t.headers },
    headersToAttributes: { ...t.headersToAttributes },
    attributesToHeaders: { ...t.attributesToHeaders },
    includeHeaders: includeHeadersNumber(t.includeHeaders),
    mediaEncryption: mediaEncryptionNumber(t.mediaEncryption),
  };
}

export function toLiveSipHeaders(t: {
  headers: Record<string, string>;
  headersToAttributes: Record<string, string>;
  attributesToHeaders: Record<string, string>;
  includeHeaders: SIPHeaderOptions;
  mediaEncryption: SIPMediaEncryption;
}): LiveSipHeaders {
  return {
    headers: { ...t.headers },
    headersToAttributes: { ...t.headersToAttributes },
    attributesToHeaders: { ...t.attributesToHeaders },
    includeHeaders: includeHeadersName(t.includeHeaders),
    mediaEncryption: mediaEncryptionName(t.mediaEncryption),
  };
}

/** The preset name of an ingress track's options; '' when none or custom options. */
export function presetName(
  o: IngressAudioOptions | IngressVideoOptions | undefined,
  names: Record<number, string>,
): string {
  const e = o?.encodingOptions;
  return e?.case === 'preset' ? (names[e.value] ?? '') : '';
}

export function audioPresetName(o: IngressAudioOptions | undefined): string {
  return presetName(o, IngressAudioEncodingPreset);
}

export function videoPresetName(o: IngressVideoOptions | undefined): string {
  return presetName(o, IngressVideoEncodingPreset);
}

function presetValue(name: string, values: Record<string, string | number>): number | undefined {
  const v = values[name];
  return typeof v === 'number' ? v : undefined;
}

export function audioOptions(preset: string | undefined): IngressAudioOptions | undefined {
  const value = preset === undefined ? undefined : presetValue(preset, IngressAudioEncodingPreset);
  if (value === undefined) return undefined;
  return new IngressAudioOptions({ encodingOptions: { case: 'preset', value } });
}

export function videoOptions(preset: string | undefined): IngressVideoOptions | undefined {
  const value = preset === undefined ? undefined : presetValue(preset, IngressVideoEncodingPreset);
  if (value === undefined) return undefined;
  return new IngressVideoOptions({ encodingOptions: { case: 'preset', value } });
}
