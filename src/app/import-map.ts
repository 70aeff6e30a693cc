/**
 * Live objects → spec documents, the reverse of each kind's spec → port mapping. Only fields the
 * user could have written and LiveKit reads back are emitted, and only non-default values, so the
 * imported spec diffs empty against the object it came from. Secrets never leave LiveKit: they
 * become `{ fromEnv }` placeholders, and what they resolve to is kept (in memory) only to record
 * the hash an adopted object needs (see import-plan.ts).
 */
import type {
  LiveIngress,
  LiveRoom,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
} from '../core/live.ts';
import type { JsonValue } from '../core/plan.ts';
import { withoutMarker } from '../kinds/sip-common/marker.ts';

export type ImportKind =
  'Room' | 'Ingress' | 'SIPInboundTrunk' | 'SIPOutboundTrunk' | 'SIPDispatchRule';

export const IMPORT_KINDS: readonly ImportKind[] = [
  'Room',
  'Ingress',
  'SIPInboundTrunk',
  'SIPOutboundTrunk',
  'SIPDispatchRule',
];

type Json = { [key: string]: JsonValue };

/** One spec to write, or the reason it cannot be. */
export interface MappedSpec {
  spec: Json;
  /** Placeholder env var → the live secret value (never written; hashed for adoption only). */
  secrets: Record<string, string>;
}

export interface Unmappable {
  skip: string;
}

/** LiveKit's server defaults as it reports them for a room created without them. */
export const ROOM_DEFAULT_EMPTY_TIMEOUT = 300;
export const ROOM_DEFAULT_DEPARTURE_TIMEOUT = 20;

/** Metadata that is a JSON object becomes a YAML object; anything else stays a string. */
function roomMetadata(text: string): JsonValue {
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch {
    // not JSON: kept as the string it is
  }
  return text;
}

export function roomToSpec(live: LiveRoom): MappedSpec {
  const spec: Json = {};
  if (live.emptyTimeout !== 0 && live.emptyTimeout !== ROOM_DEFAULT_EMPTY_TIMEOUT)
    spec['emptyTimeout'] = live.emptyTimeout;
  if (live.departureTimeout !== 0 && live.departureTimeout !== ROOM_DEFAULT_DEPARTURE_TIMEOUT)
    spec['departureTimeout'] = live.departureTimeout;
  if (live.maxParticipants !== 0) spec['maxParticipants'] = live.maxParticipants;
  if (live.metadata !== '') spec['metadata'] = roomMetadata(live.metadata);
  return { spec, secrets: {} };
}

export function ingressToSpec(live: LiveIngress): MappedSpec | Unmappable {
  if (live.roomName === '') return { skip: 'it has no room name, which the spec requires' };
  if (live.participantIdentity === '')
    return { skip: 'it has no participant identity, which the spec requires' };
  if (live.inputType === 'url' && live.url === '')
    return { skip: 'a url ingress without a source URL' };
  const spec: Json = {
    inputType: live.inputType,
    roomName: live.roomName,
    participantIdentity: live.participantIdentity,
  };
  if (live.participantName !== '') spec['participantName'] = live.participantName;
  if (live.participantMetadata !== '') spec['participantMetadata'] = live.participantMetadata;
  if (live.enableTranscoding) spec['enableTranscoding'] = true;
  // For RTMP/WHIP the URL (and the stream key) are server outputs, not something a spec declares.
  if (live.inputType === 'url') spec['url'] = live.url;
  return { spec, secrets: {} };
}

/** `SIP_<NAME>_<WHAT>`: the env var a secret placeholder names. */
export function secretEnvName(name: string, what: string): string {
  const base = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `SIP_${base}_${what}`.replace(/_+/g, '_');
}

function nonEmpty(list: readonly string[]): string[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

function put(spec: Json, key: string, value: JsonValue | undefined): void {
  if (value !== undefined) spec[key] = value;
}

function sipMetadata(metadata: string): string | undefined {
  const m = withoutMarker(metadata);
  return m === '' ? undefined : m;
}

export function sipInboundToSpec(live: LiveSipInboundTrunk, passwordEnv: string): MappedSpec {
  const spec: Json = {};
  const secrets: Record<string, string> = {};
  put(spec, 'numbers', nonEmpty(live.numbers));
  put(spec, 'allowedAddresses', nonEmpty(live.allowedAddresses));
  put(spec, 'allowedNumbers', nonEmpty(live.allowedNumbers));
  if (live.authUsername !== '') spec['authUsername'] = live.authUsername;
  if (live.authPassword !== '') {
    spec['authPassword'] = { fromEnv: passwordEnv };
    secrets[passwordEnv] = live.authPassword;
  }
  put(spec, 'metadata', sipMetadata(live.metadata));
  if (live.krispEnabled) spec['krispEnabled'] = true;
  return { spec, secrets };
}

export function sipOutboundToSpec(
  live: LiveSipOutboundTrunk,
  passwordEnv: string,
): MappedSpec | Unmappable {
  if (live.address === '') return { skip: 'it has no address, which the spec requires' };
  if (live.numbers.length === 0) return { skip: 'it has no numbers; the spec requires one' };
  const spec: Json = { address: live.address };
  const secrets: Record<string, string> = {};
  if (live.transport !== 'auto') spec['transport'] = live.transport;
  spec['numbers'] = [...live.numbers];
  if (live.authUsername !== '') spec['authUsername'] = live.authUsername;
  if (live.authPassword !== '') {
    spec['authPassword'] = { fromEnv: passwordEnv };
    secrets[passwordEnv] = live.authPassword;
  }
  put(spec, 'metadata', sipMetadata(live.metadata));
  return { spec, secrets };
}

/**
 * `trunkNames` maps inbound trunk ids to the names of their imported specs: a rule names its
 * trunks by spec name, so a rule on a trunk that was not imported cannot be written.
 */
export function sipDispatchToSpec(
  live: LiveSipDispatchRule,
  trunkNames: ReadonlyMap<string, string>,
  pinEnv: string,
): MappedSpec | Unmappable {
  const missing = live.trunkIds.filter((id) => !trunkNames.has(id));
  if (missing.length > 0) {
    return {
      skip: `its trunk${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not an imported SIPInboundTrunk`,
    };
  }
  const r = live.rule;
  if (r.type === 'direct' ? r.roomName === '' : r.roomPrefix === '') {
    return { skip: `its ${r.type} rule has no room ${r.type === 'direct' ? 'name' : 'prefix'}` };
  }
  const secrets: Record<string, string> = {};
  const body: Json = r.type === 'direct' ? { roomName: r.roomName } : { roomPrefix: r.roomPrefix };
  if (r.pin !== '') {
    body['pin'] = { fromEnv: pinEnv };
    secrets[pinEnv] = r.pin;
  }
  if (r.type === 'callee' && r.randomize) body['randomize'] = true;
  const spec: Json = { rule: { [r.type]: body } };
  if (live.trunkIds.length > 0) {
    spec['trunks'] = live.trunkIds.map((id) => trunkNames.get(id) ?? id).sort();
  }
  if (live.hidePhoneNumber) spec['hidePhoneNumber'] = true;
  if (Object.keys(live.attributes).length > 0) spec['attributes'] = { ...live.attributes };
  put(spec, 'metadata', sipMetadata(live.metadata));
  return { spec, secrets };
}
