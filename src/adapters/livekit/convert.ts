/**
 * SDK protobuf classes → the plain observed-state types of src/core/live.ts.
 * int64 fields arrive as bigint: seconds or nanoseconds become milliseconds; enums become strings.
 */
import type {
  EgressInfo,
  IngressInfo,
  ParticipantInfo,
  ParticipantPermission,
  Room,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
  TrackInfo,
} from '@livekit/protocol';
import type {
  EgressStatus,
  LiveEgress,
  LiveIngress,
  LiveParticipant,
  LiveRoom,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
  LiveTrack,
  ParticipantKind,
  ParticipantPermissions,
  TrackSource,
} from '../../core/live.ts';
import { summarizeEgressRequest } from './egress-summary.ts';
import {
  audioPresetName,
  durationMs,
  mediaEncryptionName,
  toLiveSipHeaders,
  videoPresetName,
} from './sip-ingress-fields.ts';

const TRACK_SOURCES: readonly TrackSource[] = [
  'unknown',
  'camera',
  'microphone',
  'screen_share',
  'screen_share_audio',
];
const TRACK_TYPES: readonly LiveTrack['type'][] = ['audio', 'video', 'data'];
const PARTICIPANT_STATES: readonly LiveParticipant['state'][] = [
  'joining',
  'joined',
  'active',
  'disconnected',
];
const PARTICIPANT_KINDS: Record<number, ParticipantKind> = {
  0: 'standard',
  1: 'ingress',
  2: 'egress',
  3: 'sip',
  4: 'agent',
  7: 'connector',
  8: 'bridge',
};
const EGRESS_STATUSES: readonly EgressStatus[] = [
  'starting',
  'active',
  'ending',
  'complete',
  'failed',
  'aborted',
  'limit_reached',
];
const STREAM_STATUSES: readonly LiveEgress['streamResults'][number]['status'][] = [
  'active',
  'finished',
  'failed',
];
const INGRESS_INPUTS: readonly LiveIngress['inputType'][] = ['rtmp', 'whip', 'url'];
const SIP_TRANSPORTS: readonly LiveSipOutboundTrunk['transport'][] = ['auto', 'udp', 'tcp', 'tls'];

export function trackSourceName(n: number): TrackSource {
  return TRACK_SOURCES[n] ?? 'unknown';
}

export function trackSourceNumber(s: TrackSource): number {
  const i = TRACK_SOURCES.indexOf(s);
  return i < 0 ? 0 : i;
}

function msFromSeconds(s: bigint): number {
  return Number(s) * 1000;
}

function msFromNanos(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

export function toLiveRoom(r: Room): LiveRoom {
  return {
    sid: r.sid,
    name: r.name,
    emptyTimeout: r.emptyTimeout,
    departureTimeout: r.departureTimeout,
    maxParticipants: r.maxParticipants,
    metadata: r.metadata,
    numParticipants: r.numParticipants,
    numPublishers: r.numPublishers,
    activeRecording: r.activeRecording,
    creationTimeMs:
      r.creationTimeMs > 0n ? Number(r.creationTimeMs) : msFromSeconds(r.creationTime),
  };
}

export function toPermissions(p: ParticipantPermission): ParticipantPermissions {
  return {
    canSubscribe: p.canSubscribe,
    canPublish: p.canPublish,
    canPublishData: p.canPublishData,
    canPublishSources: p.canPublishSources.map(trackSourceName),
    hidden: p.hidden,
    canUpdateMetadata: p.canUpdateMetadata,
    canSubscribeMetrics: p.canSubscribeMetrics,
    canManageAgentSession: p.canManageAgentSession,
  };
}

export function toLiveTrack(t: TrackInfo): LiveTrack {
  return {
    sid: t.sid,
    name: t.name,
    type: TRACK_TYPES[t.type] ?? 'unknown',
    source: trackSourceName(t.source),
    muted: t.muted,
  };
}

export function toLiveParticipant(p: ParticipantInfo): LiveParticipant {
  return {
    sid: p.sid,
    identity: p.identity,
    name: p.name,
    kind: PARTICIPANT_KINDS[p.kind] ?? 'standard',
    state: PARTICIPANT_STATES[p.state] ?? 'active',
    metadata: p.metadata,
    attributes: { ...p.attributes },
    joinedAtMs: p.joinedAtMs > 0n ? Number(p.joinedAtMs) : msFromSeconds(p.joinedAt),
    permission: p.permission ? toPermissions(p.permission) : undefined,
    tracks: p.tracks.map(toLiveTrack),
    isPublisher: p.isPublisher,
  };
}

export function toLiveEgress(e: EgressInfo): LiveEgress {
  const live: LiveEgress = {
    egressId: e.egressId,
    roomName: e.roomName,
    roomId: e.roomId,
    status: EGRESS_STATUSES[e.status] ?? 'failed',
    source: e.request.case ?? 'unknown',
    startedAtMs: msFromNanos(e.startedAt),
    endedAtMs: msFromNanos(e.endedAt),
    updatedAtMs: msFromNanos(e.updatedAt),
    error: e.error,
    fileResults: e.fileResults.map((f) => ({
      filename: f.filename,
      location: f.location,
      size: Number(f.size),
      durationMs: msFromNanos(f.duration),
    })),
    streamResults: e.streamResults.map((s) => ({
      url: s.url,
      status: STREAM_STATUSES[s.status] ?? 'failed',
      error: s.error,
    })),
  };
  const request = summarizeEgressRequest(e);
  if (request !== undefined) live.request = request;
  return live;
}

export function toLiveIngress(i: IngressInfo): LiveIngress {
  return {
    ingressId: i.ingressId,
    name: i.name,
    inputType: INGRESS_INPUTS[i.inputType] ?? 'rtmp',
    roomName: i.roomName,
    participantIdentity: i.participantIdentity,
    participantName: i.participantName,
    participantMetadata: i.participantMetadata,
    enableTranscoding: i.enableTranscoding ?? !i.bypassTranscoding,
    url: i.url,
    streamKey: i.streamKey,
    enabled: i.enabled ?? true,
    audioPreset: audioPresetName(i.audio),
    videoPreset: videoPresetName(i.video),
  };
}

export function ingressInputNumber(t: LiveIngress['inputType']): number {
  return INGRESS_INPUTS.indexOf(t);
}

export function sipTransportNumber(t: LiveSipOutboundTrunk['transport']): number {
  const i = SIP_TRANSPORTS.indexOf(t);
  return i < 0 ? 0 : i;
}

export function toLiveSipInboundTrunk(t: SIPInboundTrunkInfo): LiveSipInboundTrunk {
  return {
    sipTrunkId: t.sipTrunkId,
    name: t.name,
    metadata: t.metadata,
    numbers: [...t.numbers],
    allowedAddresses: [...t.allowedAddresses],
    allowedNumbers: [...t.allowedNumbers],
    authUsername: t.authUsername,
    authPassword: t.authPassword,
    krispEnabled: t.krispEnabled,
    ...toLiveSipHeaders(t),
    ringingTimeoutMs: durationMs(t.ringingTimeout),
    maxCallDurationMs: durationMs(t.maxCallDuration),
  };
}

export function toLiveSipOutboundTrunk(t: SIPOutboundTrunkInfo): LiveSipOutboundTrunk {
  return {
    sipTrunkId: t.sipTrunkId,
    name: t.name,
    metadata: t.metadata,
    address: t.address,
    transport: SIP_TRANSPORTS[t.transport] ?? 'auto',
    numbers: [...t.numbers],
    authUsername: t.authUsername,
    authPassword: t.authPassword,
    ...toLiveSipHeaders(t),
    destinationCountry: t.destinationCountry,
    fromHost: t.fromHost,
  };
}

export function toLiveSipDispatchRule(r: SIPDispatchRuleInfo): LiveSipDispatchRule {
  const rule = r.rule?.rule;
  let out: LiveSipDispatchRule['rule'];
  if (rule?.case === 'dispatchRuleDirect') {
    out = { type: 'direct', roomName: rule.value.roomName, pin: rule.value.pin };
  } else if (rule?.case === 'dispatchRuleCallee') {
    out = {
      type: 'callee',
      roomPrefix: rule.value.roomPrefix,
      pin: rule.value.pin,
      randomize: rule.value.randomize,
    };
  } else {
    const individual = rule?.case === 'dispatchRuleIndividual' ? rule.value : undefined;
    out = {
      type: 'individual',
      roomPrefix: individual?.roomPrefix ?? '',
      pin: individual?.pin ?? '',
      noRandomness: individual?.noRandomness ?? false,
    };
  }
  return {
    sipDispatchRuleId: r.sipDispatchRuleId,
    name: r.name,
    metadata: r.metadata,
    trunkIds: [...r.trunkIds],
    hidePhoneNumber: r.hidePhoneNumber,
    attributes: { ...r.attributes },
    inboundNumbers: [...r.inboundNumbers],
    numbers: [...r.numbers],
    roomPreset: r.roomPreset,
    krispEnabled: r.krispEnabled,
    mediaEncryption: mediaEncryptionName(r.mediaEncryption),
    rule: out,
  };
}
