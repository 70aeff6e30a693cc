/**
 * SIPOutboundTrunk as a persistent kind (same model as the inbound trunk: whole-object updates,
 * marker in metadata, the auth password compared by hash only).
 */
import type { SipOutboundTrunkInput } from '../../adapters/livekit/port.ts';
import type { LiveSipOutboundTrunk } from '../../core/live.ts';
import { defined, sorted, str, strings, type PersistentKind } from '../sip-common/kind.ts';
import {
  normaliseMetadata,
  payloadLineage,
  withMarker,
  withoutMarker,
} from '../sip-common/marker.ts';
import type { Json } from '../sip-common/secrets.ts';
import { declaredHeaders, headerInput, observedHeaders } from '../sip-common/headers.ts';
import { adoptableByMarker, markerMatch } from '../sip-inbound-trunk/kind.ts';

const TRANSPORTS = ['auto', 'udp', 'tcp', 'tls'] as const;

function input(name: string, spec: Json, payload: Json): SipOutboundTrunkInput {
  const i: SipOutboundTrunkInput = {
    name,
    address: str(spec['address']) ?? '',
    numbers: strings(spec['numbers']) ?? [],
    metadata: withMarker(str(spec['metadata']), payloadLineage(payload)),
  };
  const transport = TRANSPORTS.find((t) => t === spec['transport']);
  if (transport !== undefined) i.transport = transport;
  const authUsername = str(spec['authUsername']);
  if (authUsername !== undefined) i.authUsername = authUsername;
  const authPassword = str(spec['authPassword']);
  if (authPassword !== undefined) i.authPassword = authPassword;
  const destinationCountry = str(spec['destinationCountry']);
  if (destinationCountry !== undefined) i.destinationCountry = destinationCountry;
  const fromHost = str(spec['fromHost']);
  if (fromHost !== undefined) i.fromHost = fromHost;
  return { ...i, ...headerInput(spec) };
}

export const sipOutboundKind: PersistentKind<LiveSipOutboundTrunk> = {
  kind: 'SIPOutboundTrunk',
  prefix: 'sip-outbound',
  id: (l) => l.sipTrunkId,
  name: (l) => l.name,
  declared: (spec) => {
    const metadata = str(spec['metadata']);
    const numbers = strings(spec['numbers']);
    return defined({
      address: str(spec['address']),
      transport: str(spec['transport']),
      numbers: numbers === undefined ? undefined : sorted(numbers),
      authUsername: str(spec['authUsername']),
      metadata: metadata === undefined ? undefined : normaliseMetadata(metadata),
      destinationCountry: str(spec['destinationCountry']),
      fromHost: str(spec['fromHost']),
      ...declaredHeaders(spec),
    });
  },
  observed: (l) => ({
    address: l.address,
    transport: l.transport,
    numbers: sorted(l.numbers),
    authUsername: l.authUsername,
    metadata: withoutMarker(l.metadata),
    destinationCountry: l.destinationCountry,
    fromHost: l.fromHost,
    ...observedHeaders(l),
  }),
  immutable: [],
  unsupported: [],
  matchKey: markerMatch,
  adoptable: (l, m) => adoptableByMarker(l.metadata, m),
  list: (port) => port.listSipOutboundTrunks(),
  create: (name, spec, payload, port) => port.createSipOutboundTrunk(input(name, spec, payload)),
  update: (id, name, spec, payload, port) =>
    port.updateSipOutboundTrunk(id, input(name, spec, payload)),
  remove: (id, port) => port.deleteSipTrunk(id),
};
