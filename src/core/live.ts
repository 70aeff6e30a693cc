/**
 * Observed LiveKit state as plain data: what the adapter reads and what the pure core diffs against.
 * No SDK classes cross this line (int64s are numbers of milliseconds, enums are string unions).
 */

export type TrackSource =
  'camera' | 'microphone' | 'screen_share' | 'screen_share_audio' | 'unknown';

export type ParticipantKind =
  'standard' | 'ingress' | 'egress' | 'sip' | 'agent' | 'connector' | 'bridge';

export interface LiveRoom {
  sid: string;
  name: string;
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  metadata: string;
  numParticipants: number;
  numPublishers: number;
  activeRecording: boolean;
  /** Unix milliseconds. */
  creationTimeMs: number;
}

export interface ParticipantPermissions {
  canSubscribe: boolean;
  canPublish: boolean;
  canPublishData: boolean;
  canPublishSources: TrackSource[];
  hidden: boolean;
  canUpdateMetadata: boolean;
  canSubscribeMetrics: boolean;
  /** Manage an agent session via RemoteSession (ParticipantPermission field 13). */
  canManageAgentSession: boolean;
}

export interface LiveTrack {
  sid: string;
  name: string;
  type: 'audio' | 'video' | 'data' | 'unknown';
  source: TrackSource;
  muted: boolean;
}

export interface LiveParticipant {
  sid: string;
  identity: string;
  name: string;
  kind: ParticipantKind;
  state: 'joining' | 'joined' | 'active' | 'disconnected';
  metadata: string;
  attributes: Record<string, string>;
  /** Unix milliseconds. */
  joinedAtMs: number;
  permission: ParticipantPermissions | undefined;
  tracks: LiveTrack[];
  isPublisher: boolean;
}

export type EgressStatus =
  'starting' | 'active' | 'ending' | 'complete' | 'failed' | 'aborted' | 'limit_reached';

export interface EgressFileResult {
  filename: string;
  location: string;
  /** Bytes. */
  size: number;
  /** Milliseconds. */
  durationMs: number;
}

export interface EgressStreamResult {
  url: string;
  status: 'active' | 'finished' | 'failed';
  error: string;
}

export interface LiveEgress {
  egressId: string;
  roomName: string;
  roomId: string;
  status: EgressStatus;
  /** Which request started it: `roomComposite`, `participant`, `trackComposite`, `web`, `track`. */
  source: string;
  /** Unix milliseconds; 0 when not yet set. */
  startedAtMs: number;
  endedAtMs: number;
  updatedAtMs: number;
  error: string;
  fileResults: EgressFileResult[];
  streamResults: EgressStreamResult[];
  /** What the egress was asked to do, without secrets: how a policy recognises its own egress. */
  request?: EgressRequestSummary;
}

/**
 * The identifying, non-secret parts of an egress request, read back from EgressInfo.request.
 * Stream URLs and storage credentials are left out (the real worker redacts them anyway).
 */
export interface EgressRequestSummary {
  /** `roomComposite`, `participant`, `trackComposite`, `web`, `track`, or the request case. */
  source: string;
  /** Only set, non-default values: `layout`, `identity`, `url`, `customBaseUrl`, `audioOnly`, `videoOnly`, `screenShare`. */
  detail: Record<string, string>;
  /** One entry per output, sorted: `file:<filepath>`, `stream`, `segments:<prefix>`, `images:<prefix>`. */
  outputs: string[];
}

export interface LiveIngress {
  ingressId: string;
  name: string;
  inputType: 'rtmp' | 'whip' | 'url';
  roomName: string;
  participantIdentity: string;
  participantName: string;
  participantMetadata: string;
  enableTranscoding: boolean;
  url: string;
  /** The stream key is a credential: the adapter returns it, renderers must redact it. */
  streamKey: string;
  enabled: boolean;
  /** Encoding preset names; '' when none (or custom options, which specs cannot declare). */
  audioPreset: string;
  videoPreset: string;
}

export type SipMediaEncryption = 'disable' | 'allow' | 'require';
export type SipIncludeHeaders = 'none' | 'x-headers' | 'all';

/** SIP header mapping fields shared by both trunk directions. */
export interface LiveSipHeaders {
  headers: Record<string, string>;
  headersToAttributes: Record<string, string>;
  attributesToHeaders: Record<string, string>;
  includeHeaders: SipIncludeHeaders;
  mediaEncryption: SipMediaEncryption;
}

export interface LiveSipInboundTrunk extends LiveSipHeaders {
  sipTrunkId: string;
  name: string;
  metadata: string;
  numbers: string[];
  allowedAddresses: string[];
  allowedNumbers: string[];
  authUsername: string;
  /** Credential: redacted by renderers. */
  authPassword: string;
  krispEnabled: boolean;
  /** Milliseconds; 0 when unset (LiveKit's default applies). */
  ringingTimeoutMs: number;
  maxCallDurationMs: number;
}

export interface LiveSipOutboundTrunk extends LiveSipHeaders {
  sipTrunkId: string;
  name: string;
  metadata: string;
  address: string;
  transport: 'auto' | 'udp' | 'tcp' | 'tls';
  numbers: string[];
  authUsername: string;
  authPassword: string;
  destinationCountry: string;
  fromHost: string;
}

export interface LiveSipDispatchRule {
  sipDispatchRuleId: string;
  name: string;
  metadata: string;
  trunkIds: string[];
  hidePhoneNumber: boolean;
  attributes: Record<string, string>;
  inboundNumbers: string[];
  numbers: string[];
  roomPreset: string;
  krispEnabled: boolean;
  mediaEncryption: SipMediaEncryption;
  rule:
    | { type: 'direct'; roomName: string; pin: string }
    | { type: 'individual'; roomPrefix: string; pin: string; noRandomness?: boolean }
    | { type: 'callee'; roomPrefix: string; pin: string; randomize: boolean };
}

export type AgentJobStatus = 'pending' | 'running' | 'success' | 'failed';

/** A job the server made for a dispatch (one per agent worker that took it). */
export interface LiveAgentJob {
  id: string;
  status: AgentJobStatus;
  /** The agent's identity in the room, once it joined. */
  participantIdentity: string;
  error: string;
}

/**
 * An agent dispatch (AgentDispatchService): "agent `agentName` belongs in `room`". Every new room
 * also gets one with an empty agent name (automatic dispatch) unless it was created with agents.
 */
export interface LiveAgentDispatch {
  id: string;
  room: string;
  agentName: string;
  metadata: string;
  /** Unix milliseconds. */
  createdAtMs: number;
  jobs: LiveAgentJob[];
}
