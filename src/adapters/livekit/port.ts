/**
 * The LiveKit port: everything the engine and the kinds need from a LiveKit server, as plain data.
 * Two implementations pass one contract suite (test/contract): the SDK adapter against a real
 * server, and an in-memory fake for fast engine tests.
 *
 * Every method throws `LiveKitError` (src/core/errors.ts) and nothing else.
 */
import type {
  LiveAgentDispatch,
  LiveEgress,
  LiveIngress,
  LiveParticipant,
  LiveRoom,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
  ParticipantPermissions,
  SipIncludeHeaders,
  SipMediaEncryption,
  TrackSource,
} from '../../core/live.ts';

export interface AgentDispatchInput {
  agentName: string;
  metadata?: string;
}

export interface CreateAgentDispatchInput extends AgentDispatchInput {
  room: string;
}

export interface CreateRoomInput {
  name: string;
  /** Seconds; 0 or absent means the server default. */
  emptyTimeout?: number;
  departureTimeout?: number;
  maxParticipants?: number;
  metadata?: string;
  /** Milliseconds. */
  minPlayoutDelay?: number;
  maxPlayoutDelay?: number;
  syncStreams?: boolean;
  agents?: AgentDispatchInput[];
}

export interface UpdateParticipantInput {
  permission?: Partial<ParticipantPermissions>;
  attributes?: Record<string, string>;
  metadata?: string;
  name?: string;
}

export type EncodingPreset =
  | 'H264_720P_30'
  | 'H264_720P_60'
  | 'H264_1080P_30'
  | 'H264_1080P_60'
  | 'PORTRAIT_H264_720P_30'
  | 'PORTRAIT_H264_720P_60'
  | 'PORTRAIT_H264_1080P_30'
  | 'PORTRAIT_H264_1080P_60'
  | 'PASSTHROUGH';

export interface AdvancedEncoding {
  width?: number;
  height?: number;
  depth?: number;
  framerate?: number;
  audioCodec?: 'opus' | 'aac';
  audioBitrate?: number;
  audioFrequency?: number;
  videoCodec?: 'h264_baseline' | 'h264_main' | 'h264_high' | 'vp8';
  videoBitrate?: number;
  keyFrameInterval?: number;
}

/** Storage with secrets already resolved (the spec layer resolves `fromEnv`/`fromFile`). */
export type EgressStorage =
  | {
      type: 's3';
      bucket: string;
      region?: string;
      endpoint?: string;
      accessKey?: string;
      secret?: string;
      sessionToken?: string;
      forcePathStyle?: boolean;
    }
  | { type: 'gcp'; bucket: string; credentials?: string }
  | { type: 'azure'; accountName: string; accountKey: string; containerName: string }
  | {
      type: 'aliOSS';
      bucket: string;
      region?: string;
      endpoint?: string;
      accessKey: string;
      secret: string;
    };

export type EgressOutput =
  | {
      type: 'file';
      fileType?: 'mp4' | 'ogg' | 'mp3';
      filepath?: string;
      disableManifest?: boolean;
      storage?: EgressStorage;
    }
  | { type: 'stream'; protocol: 'rtmp' | 'srt' | 'websocket'; urls: string[] }
  | {
      type: 'segments';
      filenamePrefix?: string;
      playlistName?: string;
      livePlaylistName?: string;
      segmentDuration?: number;
      storage?: EgressStorage;
    }
  | {
      type: 'images';
      captureInterval?: number;
      width?: number;
      height?: number;
      filenamePrefix?: string;
      storage?: EgressStorage;
    };

export type EgressSource =
  | {
      type: 'roomComposite';
      layout?: string;
      audioOnly?: boolean;
      videoOnly?: boolean;
      customBaseUrl?: string;
    }
  | { type: 'participant'; identity: string; screenShare?: boolean }
  | { type: 'trackComposite'; audioTrackId?: string; videoTrackId?: string }
  | {
      type: 'web';
      url: string;
      audioOnly?: boolean;
      videoOnly?: boolean;
      awaitStartSignal?: boolean;
    };

export interface StartEgressInput {
  /** The room the egress records; for `web` sources, the room it belongs to for bookkeeping. */
  roomName: string;
  source: EgressSource;
  encoding?: { preset: EncodingPreset } | { advanced: AdvancedEncoding };
  outputs: EgressOutput[];
}

export interface IngressInput {
  name: string;
  inputType: 'rtmp' | 'whip' | 'url';
  roomName: string;
  participantIdentity: string;
  participantName?: string;
  participantMetadata?: string;
  enableTranscoding?: boolean;
  /** Source URL, for `inputType: 'url'` only. */
  url?: string;
  enabled?: boolean;
  /** Encoding preset names (IngressAudioEncodingPreset / IngressVideoEncodingPreset). */
  audioPreset?: string;
  videoPreset?: string;
}

/** What UpdateIngress can change in place (the input type and URL cannot change). */
export type IngressUpdate = Omit<IngressInput, 'inputType' | 'url'>;

export interface SipInboundTrunkInput {
  name: string;
  metadata?: string;
  numbers: string[];
  allowedAddresses?: string[];
  allowedNumbers?: string[];
  authUsername?: string;
  /** Resolved secret; never logged. */
  authPassword?: string;
  krispEnabled?: boolean;
  headers?: Record<string, string>;
  headersToAttributes?: Record<string, string>;
  attributesToHeaders?: Record<string, string>;
  includeHeaders?: SipIncludeHeaders;
  mediaEncryption?: SipMediaEncryption;
  ringingTimeoutMs?: number;
  maxCallDurationMs?: number;
}

export interface SipOutboundTrunkInput {
  name: string;
  metadata?: string;
  address: string;
  transport?: 'auto' | 'udp' | 'tcp' | 'tls';
  numbers: string[];
  authUsername?: string;
  authPassword?: string;
  headers?: Record<string, string>;
  headersToAttributes?: Record<string, string>;
  attributesToHeaders?: Record<string, string>;
  includeHeaders?: SipIncludeHeaders;
  mediaEncryption?: SipMediaEncryption;
  destinationCountry?: string;
  fromHost?: string;
}

export interface SipDispatchRuleInput {
  name: string;
  metadata?: string;
  trunkIds?: string[];
  hidePhoneNumber?: boolean;
  attributes?: Record<string, string>;
  inboundNumbers?: string[];
  numbers?: string[];
  roomPreset?: string;
  krispEnabled?: boolean;
  mediaEncryption?: SipMediaEncryption;
  rule: LiveSipDispatchRule['rule'];
}

export interface CallOptions {
  /** Overrides the adapter's default request timeout for this call (milliseconds). */
  timeoutMs?: number;
}

export interface LiveKitPort {
  // Rooms
  listRooms(names?: readonly string[]): Promise<LiveRoom[]>;
  /** Returns the room; on an active room LiveKit returns it unchanged and ignores the new settings. */
  createRoom(input: CreateRoomInput): Promise<LiveRoom>;
  /** A room that does not exist counts as deleted. */
  deleteRoom(name: string): Promise<void>;
  updateRoomMetadata(name: string, metadata: string): Promise<LiveRoom>;

  // Participants
  listParticipants(room: string): Promise<LiveParticipant[]>;
  updateParticipant(
    room: string,
    identity: string,
    input: UpdateParticipantInput,
  ): Promise<LiveParticipant>;
  mutePublishedTrack(
    room: string,
    identity: string,
    trackSid: string,
    muted: boolean,
  ): Promise<void>;
  removeParticipant(room: string, identity: string): Promise<void>;

  // Agent dispatch (AgentDispatchService; needs Redis on the server for workers to register)
  /** The room must exist: for a room that does not, the server answers `unavailable`. */
  listAgentDispatches(room: string): Promise<LiveAgentDispatch[]>;
  /**
   * Not idempotent (two dispatches are two agents in the room) and never retried: callers
   * reconcile a lost answer by listing. Creates the room when it does not exist.
   */
  createAgentDispatch(input: CreateAgentDispatchInput): Promise<LiveAgentDispatch>;
  /** A dispatch that does not exist counts as deleted; its agent's job ends. */
  deleteAgentDispatch(room: string, dispatchId: string): Promise<void>;

  // Egress (needs Redis on the server)
  /** Every page. */
  listEgress(filter?: {
    roomName?: string;
    egressId?: string;
    active?: boolean;
  }): Promise<LiveEgress[]>;
  /** Not idempotent and never retried: callers reconcile a lost answer by listing. */
  startEgress(input: StartEgressInput, opts?: CallOptions): Promise<LiveEgress>;
  stopEgress(egressId: string, opts?: CallOptions): Promise<LiveEgress>;
  /**
   * UpdateStream, routed by the server to the egress's worker. With empty lists it changes
   * nothing, which makes it the safe liveness probe for an egress: a dead worker makes the server
   * answer `timeout` (deadline_exceeded) after ~3 s. Never retried.
   */
  updateStream(
    egressId: string,
    add: readonly string[],
    remove: readonly string[],
    opts?: CallOptions,
  ): Promise<LiveEgress>;

  // Ingress (needs Redis on the server). Create is not retried (not idempotent: ids are server-made).
  listIngress(filter?: { roomName?: string; ingressId?: string }): Promise<LiveIngress[]>;
  createIngress(input: IngressInput): Promise<LiveIngress>;
  updateIngress(ingressId: string, input: IngressUpdate): Promise<LiveIngress>;
  /** An ingress that does not exist counts as deleted. */
  deleteIngress(ingressId: string): Promise<void>;

  // SIP (needs Redis on the server). Updates replace the whole object; creates are not retried.
  listSipInboundTrunks(): Promise<LiveSipInboundTrunk[]>;
  createSipInboundTrunk(input: SipInboundTrunkInput): Promise<LiveSipInboundTrunk>;
  updateSipInboundTrunk(
    sipTrunkId: string,
    input: SipInboundTrunkInput,
  ): Promise<LiveSipInboundTrunk>;
  listSipOutboundTrunks(): Promise<LiveSipOutboundTrunk[]>;
  createSipOutboundTrunk(input: SipOutboundTrunkInput): Promise<LiveSipOutboundTrunk>;
  updateSipOutboundTrunk(
    sipTrunkId: string,
    input: SipOutboundTrunkInput,
  ): Promise<LiveSipOutboundTrunk>;
  /** Inbound or outbound; one that does not exist counts as deleted. */
  deleteSipTrunk(sipTrunkId: string): Promise<void>;
  listSipDispatchRules(): Promise<LiveSipDispatchRule[]>;
  createSipDispatchRule(input: SipDispatchRuleInput): Promise<LiveSipDispatchRule>;
  updateSipDispatchRule(
    sipDispatchRuleId: string,
    input: SipDispatchRuleInput,
  ): Promise<LiveSipDispatchRule>;
  /** A rule that does not exist counts as deleted. */
  deleteSipDispatchRule(sipDispatchRuleId: string): Promise<void>;
}

export type { TrackSource };
