import Type, { type Static } from 'typebox';
import { closed, ObjectName, SecretRef, stringMap } from '../../spec/schema-common.ts';
import { NAME_MAX } from '../../spec/spec-constants.ts';
import { MediaEncryption } from '../sip-inbound-trunk/schema.ts';

export const RULE_TYPES = ['direct', 'individual', 'callee'] as const;

export const DispatchRule = closed(
  {
    direct: Type.Optional(
      closed({
        roomName: Type.String({ minLength: 1, maxLength: NAME_MAX }),
        pin: Type.Optional(SecretRef),
      }),
    ),
    individual: Type.Optional(
      closed({
        roomPrefix: Type.String({ minLength: 1 }),
        pin: Type.Optional(SecretRef),
        noRandomness: Type.Optional(Type.Boolean()),
      }),
    ),
    callee: Type.Optional(
      closed({
        roomPrefix: Type.String({ minLength: 1 }),
        pin: Type.Optional(SecretRef),
        randomize: Type.Optional(Type.Boolean()),
      }),
    ),
  },
  {
    title: 'Dispatch rule',
    description: 'Exactly one of direct, individual or callee.',
    oneOf: RULE_TYPES.map((t) => ({ required: [t] })),
  },
);

export const SIPDispatchRuleSpec = closed(
  {
    rule: DispatchRule,
    trunks: Type.Optional(
      Type.Array(ObjectName, {
        description: 'Names of SIPInboundTrunk specs this rule applies to; none means every trunk.',
      }),
    ),
    hidePhoneNumber: Type.Optional(Type.Boolean()),
    inboundNumbers: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    numbers: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    metadata: Type.Optional(Type.String()),
    attributes: Type.Optional(stringMap('Attributes of the SIP participant.')),
    roomPreset: Type.Optional(Type.String()),
    krispEnabled: Type.Optional(Type.Boolean()),
    mediaEncryption: Type.Optional(MediaEncryption),
  },
  { title: 'SIPDispatchRule spec' },
);

export type SIPDispatchRuleSpec = Static<typeof SIPDispatchRuleSpec>;
