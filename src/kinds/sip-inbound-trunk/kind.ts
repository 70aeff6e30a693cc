/**
 * SIPInboundTrunk as a persistent kind. UpdateSIPInboundTrunk replaces the whole object, so an
 * update sends every declared field; the ownership marker rides in metadata (sip-common/marker.ts).
 * The auth password is a secret: compared by the hash recorded in state, never shown.
 */
import type { SipInboundTrunkInput } from '../../adapters/livekit/port.ts';
import type { LiveSipInboundTrunk } from '../../core/live.ts';
import { bool, defined, sorted, str, strings, type PersistentKind } from '../sip-common/kind.ts';
import {
  hasMarker,
  markable,
  normaliseMetadata,
  payloadLineage,
  withMarker,
  withoutMarker,
} from '../sip-common/marker.ts';
import type { Json } from '../sip-common/secrets.ts';
import {
  declaredHeaders,
  durationOf,
  headerInput,
  observedHeaders,
} from '../sip-common/headers.ts';

function input(name: string, spec: Json, payload: Json): SipInboundTrunkInput {
  const i: SipInboundTrunkInput = {
    name,
    numbers: strings(spec['numbers']) ?? [],
    metadata: withMarker(str(spec['metadata']), payloadLineage(payload)),
  };
  const allowedAddresses = strings(spec['allowedAddresses']);
  if (allowedAddresses !== undefined) i.allowedAddresses = allowedAddresses;
  const allowedNumbers = strings(spec['allowedNumbers']);
  if (allowedNumbers !== undefined) i.allowedNumbers = allowedNumbers;
  const authUsername = str(spec['authUsername']);
  if (authUsername !== undefined) i.authUsername = authUsername;
  const authPassword = str(spec['authPassword']);
  if (authPassword !== undefined) i.authPassword = authPassword;
  const krispEnabled = bool(spec['krispEnabled']);
  if (krispEnabled !== undefined) i.krispEnabled = krispEnabled;
  const ringingTimeoutMs = durationOf(spec['ringingTimeout']);
  if (ringingTimeoutMs !== undefined) i.ringingTimeoutMs = ringingTimeoutMs;
  const maxCallDurationMs = durationOf(spec['maxCallDuration']);
  if (maxCallDurationMs !== undefined) i.maxCallDurationMs = maxCallDurationMs;
  return { ...i, ...headerInput(spec) };
}

const list = (v: string[] | undefined): string[] | undefined =>
  v === undefined ? undefined : sorted(v);

/** Markable metadata: whether a lost create can be told apart from a same-named trunk. */
export function markerMatch(spec: Json): Record<string, string> {
  return { marker: markable(str(spec['metadata'])) ? 'yes' : 'no' };
}

export function adoptableByMarker(metadata: string, m: Record<string, string>): boolean {
  return m['marker'] === 'no' || hasMarker(metadata, m['lineage']);
}

export const sipInboundKind: PersistentKind<LiveSipInboundTrunk> = {
  kind: 'SIPInboundTrunk',
  prefix: 'sip-inbound',
  id: (l) => l.sipTrunkId,
  name: (l) => l.name,
  declared: (spec) => {
    const metadata = str(spec['metadata']);
    return defined({
      numbers: list(strings(spec['numbers'])),
      allowedAddresses: list(strings(spec['allowedAddresses'])),
      allowedNumbers: list(strings(spec['allowedNumbers'])),
      authUsername: str(spec['authUsername']),
      metadata: metadata === undefined ? undefined : normaliseMetadata(metadata),
      krispEnabled: bool(spec['krispEnabled']),
      // Durations compare in milliseconds (`1m` and `60s` are the same).
      ringingTimeout: durationOf(spec['ringingTimeout']),
      maxCallDuration: durationOf(spec['maxCallDuration']),
      ...declaredHeaders(spec),
    });
  },
  observed: (l) => ({
    numbers: sorted(l.numbers),
    allowedAddresses: sorted(l.allowedAddresses),
    allowedNumbers: sorted(l.allowedNumbers),
    authUsername: l.authUsername,
    metadata: withoutMarker(l.metadata),
    krispEnabled: l.krispEnabled,
    ringingTimeout: l.ringingTimeoutMs,
    maxCallDuration: l.maxCallDurationMs,
    ...observedHeaders(l),
  }),
  immutable: [],
  unsupported: [],
  matchKey: markerMatch,
  adoptable: (l, m) => adoptableByMarker(l.metadata, m),
  list: (port) => port.listSipInboundTrunks(),
  create: (name, spec, payload, port) => port.createSipInboundTrunk(input(name, spec, payload)),
  update: (id, name, spec, payload, port) =>
    port.updateSipInboundTrunk(id, input(name, spec, payload)),
  remove: (id, port) => port.deleteSipTrunk(id),
};
