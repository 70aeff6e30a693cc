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
import {
  audioOptions,
  headerFieldsInfo,
  mediaEncryptionNumber,
  toDuration,
  videoOptions,
} from './sip-ingress-fields.ts';
import type {
  IngressInput,
  IngressUpdate,
  SipDispatchRuleInput,
  SipInboundTrunkInput,
  SipOutboundTrunkInput,
} from './port.ts';

/** The fields create and update share; create adds `url` (only settable for URL-pull ingress). */
function ingressOptions(i: IngressUpdate): CreateIngressOptions {
  const o: CreateIngressOptions = {
    name: i.name,
    roomName: i.roomName,
    participantIdentity: i.participantIdentity,
  };
  if (i.participantName !== undefined) o.participantName = i.participantName;
  if (i.participantMetadata !== undefined) o.participantMetadata = i.participantMetadata;
  if (i.enableTranscoding !== undefined) o.enableTranscoding = i.enableTranscoding;
  if (i.enabled !== undefined) o.enabled = i.enabled;
  const audio = audioOptions(i.audioPreset);
  if (audio !== undefined) o.audio = audio;
  const video = videoOptions(i.videoPreset);
  if (video !== undefined) o.video = video;
  return o;
}

export function ingressCreateOptions(i: IngressInput): CreateIngressOptions {
  const o = ingressOptions(i);
  if (i.url !== undefined) o.url = i.url;
  return o;
}

export function ingressUpdateOptions(i: IngressUpdate): UpdateIngressOptions {
  return { ...ingressOptions(i), name: i.name };
}

export function inboundTrunkInfo(t: SipInboundTrunkInput): SIPInboundTrunkInfo {
  const ringingTimeout = toDuration(t.ringingTimeoutMs);
  const maxCallDuration = toDuration(t.maxCallDurationMs);
  return new SIPInboundTrunkInfo({
    name: t.name,
    metadata: t.metadata ?? '',
    numbers: [...t.numbers],
    allowedAddresses: [...(t.allowedAddresses ?? [])],
    allowedNumbers: [...(t.allowedNumbers ?? [])],
    authUsername: t.authUsername ?? '',
    authPassword: t.authPassword ?? '',
    krispEnabled: t.krispEnabled ?? false,
    ...headerFieldsInfo(t),
    ...(ringingTimeout ? { ringingTimeout } : {}),
    ...(maxCallDuration ? { maxCallDuration } : {}),
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
    ...headerFieldsInfo(t),
    destinationCountry: t.destinationCountry ?? '',
    fromHost: t.fromHost ?? '',
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
          value: new SIPDispatchRuleIndividual({
            roomPrefix: r.roomPrefix,
            pin: r.pin,
            noRandomness: r.noRandomness ?? false,
          }),
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
    inboundNumbers: [...(r.inboundNumbers ?? [])],
    numbers: [...(r.numbers ?? [])],
    roomPreset: r.roomPreset ?? '',
    krispEnabled: r.krispEnabled ?? false,
    mediaEncryption: mediaEncryptionNumber(r.mediaEncryption),
    rule: protoRule(r.rule),
  });
}

/**
 * Whether a create must be followed by a whole-object update: the SDK's create helpers drop some
 * fields (inbound: attributesToHeaders, maxCallDuration, sub-second ringing; outbound: fromHost,
 * attributesToHeaders; rules: numbers, krisp, encryption, noRandomness), the Update RPCs take all.
 */
export function inboundNeedsFollowUp(t: SipInboundTrunkInput): boolean {
  return (
    Object.keys(t.attributesToHeaders ?? {}).length > 0 ||
    (t.maxCallDurationMs ?? 0) > 0 ||
    (t.ringingTimeoutMs ?? 0) % 1000 !== 0
  );
}

export function outboundNeedsFollowUp(t: SipOutboundTrunkInput): boolean {
  return Object.keys(t.attributesToHeaders ?? {}).length > 0 || (t.fromHost ?? '') !== '';
}

export function ruleNeedsFollowUp(r: SipDispatchRuleInput): boolean {
  return (
    (r.inboundNumbers ?? []).length > 0 ||
    (r.numbers ?? []).length > 0 ||
    r.krispEnabled === true ||
    (r.mediaEncryption ?? 'disable') !== 'disable' ||
    (r.rule.type === 'individual' && r.rule.noRandomness === true)
  );
}
