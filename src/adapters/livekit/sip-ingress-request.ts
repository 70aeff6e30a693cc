/** Plain ingress/SIP inputs → the SDK's argument shapes. */
import {
  SIPDispatchRule,
  SIPDispatchRuleCallee,
  SIPDispatchRuleDirect,
  SIPDispatchRuleIndividual,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
} from '@livekit/protocol';
import type {
  CreateIngressOptions,
  SipDispatchRuleCallee,
  SipDispatchRuleDirect,
  SipDispatchRuleIndividual,
  UpdateIngressOptions,
} from 'livekit-server-sdk';
import { sipTransportNumber } from './convert.ts';
import type {
  IngressInput,
  IngressUpdate,
  SipDispatchRuleInput,
  SipInboundTrunkInput,
  SipOutboundTrunkInput,
} from './port.ts';

export function ingressCreateOptions(i: IngressInput): CreateIngressOptions {
  const o: CreateIngressOptions = {
    name: i.name,
    roomName: i.roomName,
    participantIdentity: i.participantIdentity,
  };
  if (i.participantName !== undefined) o.participantName = i.participantName;
  if (i.participantMetadata !== undefined) o.participantMetadata = i.participantMetadata;
  if (i.enableTranscoding !== undefined) o.enableTranscoding = i.enableTranscoding;
  if (i.url !== undefined) o.url = i.url;
  if (i.enabled !== undefined) o.enabled = i.enabled;
  return o;
}

export function ingressUpdateOptions(i: IngressUpdate): UpdateIngressOptions {
  const o: UpdateIngressOptions = {
    name: i.name,
    roomName: i.roomName,
    participantIdentity: i.participantIdentity,
  };
  if (i.participantName !== undefined) o.participantName = i.participantName;
  if (i.participantMetadata !== undefined) o.participantMetadata = i.participantMetadata;
  if (i.enableTranscoding !== undefined) o.enableTranscoding = i.enableTranscoding;
  if (i.enabled !== undefined) o.enabled = i.enabled;
  return o;
}

export function inboundTrunkInfo(t: SipInboundTrunkInput): SIPInboundTrunkInfo {
  return new SIPInboundTrunkInfo({
    name: t.name,
    metadata: t.metadata ?? '',
    numbers: [...t.numbers],
    allowedAddresses: [...(t.allowedAddresses ?? [])],
    allowedNumbers: [...(t.allowedNumbers ?? [])],
    authUsername: t.authUsername ?? '',
    authPassword: t.authPassword ?? '',
    krispEnabled: t.krispEnabled ?? false,
  });
}

export function outboundTrunkInfo(t: SipOutboundTrunkInput): SIPOutboundTrunkInfo {
  return new SIPOutboundTrunkInfo({
    name: t.name,
    metadata: t.metadata ?? '',
    address: t.address,
    transport: sipTransportNumber(t.transport ?? 'auto'),
    numbers: [...t.numbers],
    authUsername: t.authUsername ?? '',
    authPassword: t.authPassword ?? '',
  });
}

export function sdkDispatchRule(
  r: SipDispatchRuleInput['rule'],
): SipDispatchRuleDirect | SipDispatchRuleIndividual | SipDispatchRuleCallee {
  switch (r.type) {
    case 'direct':
      return { type: 'direct', roomName: r.roomName, pin: r.pin };
    case 'individual':
      return { type: 'individual', roomPrefix: r.roomPrefix, pin: r.pin };
    case 'callee':
      return { type: 'callee', roomPrefix: r.roomPrefix, pin: r.pin, randomize: r.randomize };
  }
}

function protoRule(r: SipDispatchRuleInput['rule']): SIPDispatchRule {
  switch (r.type) {
    case 'direct':
      return new SIPDispatchRule({
        rule: {
          case: 'dispatchRuleDirect',
          value: new SIPDispatchRuleDirect({ roomName: r.roomName, pin: r.pin }),
        },
      });
    case 'individual':
      return new SIPDispatchRule({
        rule: {
          case: 'dispatchRuleIndividual',
          value: new SIPDispatchRuleIndividual({ roomPrefix: r.roomPrefix, pin: r.pin }),
        },
      });
    case 'callee':
      return new SIPDispatchRule({
        rule: {
          case: 'dispatchRuleCallee',
          value: new SIPDispatchRuleCallee({
            roomPrefix: r.roomPrefix,
            pin: r.pin,
            randomize: r.randomize,
          }),
        },
      });
  }
}

export function dispatchRuleInfo(r: SipDispatchRuleInput): SIPDispatchRuleInfo {
  return new SIPDispatchRuleInfo({
    name: r.name,
    metadata: r.metadata ?? '',
    trunkIds: [...(r.trunkIds ?? [])],
    hidePhoneNumber: r.hidePhoneNumber ?? false,
    attributes: { ...r.attributes },
    rule: protoRule(r.rule),
  });
}
