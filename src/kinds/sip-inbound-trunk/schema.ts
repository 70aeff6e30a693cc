import Type, { type Static } from 'typebox';
import { closed, duration, SecretRef, stringMap } from '../../spec/schema-common.ts';

export const MediaEncryption = Type.Enum(['disable', 'allow', 'require']);
export const IncludeHeaders = Type.Enum(['none', 'x-headers', 'all']);

export const SIPInboundTrunkSpec = closed(
  {
    numbers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Numbers this trunk accepts calls for.',
      }),
    ),
    allowedAddresses: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'IPs or CIDRs.' }),
    ),
    allowedNumbers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'Caller numbers.' }),
    ),
    authUsername: Type.Optional(Type.String()),
    authPassword: Type.Optional(SecretRef),
    metadata: Type.Optional(Type.String()),
    headers: Type.Optional(stringMap('SIP headers added to responses.')),
    headersToAttributes: Type.Optional(stringMap('SIP header -> participant attribute.')),
    attributesToHeaders: Type.Optional(stringMap('Participant attribute -> SIP header.')),
    includeHeaders: Type.Optional(IncludeHeaders),
    ringingTimeout: Type.Optional(duration('How long to ring, e.g. `30s`.')),
    maxCallDuration: Type.Optional(duration('Longest call, e.g. `2h`.')),
    krispEnabled: Type.Optional(Type.Boolean()),
    mediaEncryption: Type.Optional(MediaEncryption),
  },
  { title: 'SIPInboundTrunk spec' },
);

export type SIPInboundTrunkSpec = Static<typeof SIPInboundTrunkSpec>;
