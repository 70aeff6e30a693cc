import Type, { type Static } from 'typebox';
import { closed, SecretRef, stringMap } from '../../spec/schema-common.ts';
import { IncludeHeaders, MediaEncryption } from '../sip-inbound-trunk/schema.ts';

export const SIPOutboundTrunkSpec = closed(
  {
    address: Type.String({ minLength: 1, description: 'SIP server host[:port].' }),
    transport: Type.Optional(Type.Enum(['auto', 'udp', 'tcp', 'tls'])),
    destinationCountry: Type.Optional(
      Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' }),
    ),
    numbers: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Caller numbers.',
    }),
    authUsername: Type.Optional(Type.String()),
    authPassword: Type.Optional(SecretRef),
    metadata: Type.Optional(Type.String()),
    headers: Type.Optional(stringMap('SIP headers added to requests.')),
    headersToAttributes: Type.Optional(stringMap('SIP header -> participant attribute.')),
    attributesToHeaders: Type.Optional(stringMap('Participant attribute -> SIP header.')),
    includeHeaders: Type.Optional(IncludeHeaders),
    mediaEncryption: Type.Optional(MediaEncryption),
    fromHost: Type.Optional(Type.String()),
  },
  { title: 'SIPOutboundTrunk spec' },
);

export type SIPOutboundTrunkSpec = Static<typeof SIPOutboundTrunkSpec>;
