import type { IngressInput as ProtoIngressInput } from '@livekit/protocol';
import { RoomAgentDispatch } from '@livekit/protocol';
import {
  EgressClient,
  IngressClient,
  RoomServiceClient,
  SipClient,
  type CreateOptions,
  type EgressInfo,
  type ParticipantPermission,
} from 'livekit-server-sdk';
import { LiveKitError } from '../../core/errors.ts';
import type { LiveEgress } from '../../core/live.ts';
import {
  ingressInputNumber,
  toLiveEgress,
  toLiveIngress,
  toLiveParticipant,
  toLiveRoom,
  toLiveSipDispatchRule,
  toLiveSipInboundTrunk,
  toLiveSipOutboundTrunk,
  trackSourceNumber,
} from './convert.ts';
import { listEgressAllPages } from './egress-list.ts';
import { toEncodedOutputs, toEncoding } from './egress-request.ts';
import { toLiveKitError } from './errors.ts';
import type {
  CreateRoomInput,
  LiveKitPort,
  StartEgressInput,
  UpdateParticipantInput,
} from './port.ts';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.ts';
import {
  dispatchRuleInfo,
  inboundTrunkInfo,
  ingressCreateOptions,
  ingressUpdateOptions,
  inboundNeedsFollowUp,
  outboundNeedsFollowUp,
  outboundTrunkInfo,
  ruleNeedsFollowUp,
  sdkDispatchRule,
} from './sip-ingress-request.ts';

export interface LiveKitAdapterOptions {
  /** http(s):// or ws(s):// URL of the server. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Per request; default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * StartEgress only; default 30 000 ms. Without an egress worker the server itself takes over 10 s
   * to answer `no response from servers`, so the SDK's 10 s default must not decide.
   */
  startEgressTimeoutMs?: number;
  /** Backoff for calls safe to repeat; `false` disables retries. */
  retry?: RetryOptions | false;
}

interface Clients {
  room: RoomServiceClient;
  egress: EgressClient;
  ingress: IngressClient;
  sip: SipClient;
}

type Retry = 'retry' | 'once';

function createRoomOptions(i: CreateRoomInput): CreateOptions {
  const o: CreateOptions = { name: i.name };
  if (i.emptyTimeout !== undefined) o.emptyTimeout = i.emptyTimeout;
  if (i.departureTimeout !== undefined) o.departureTimeout = i.departureTimeout;
  if (i.maxParticipants !== undefined) o.maxParticipants = i.maxParticipants;
  if (i.metadata !== undefined) o.metadata = i.metadata;
  if (i.minPlayoutDelay !== undefined) o.minPlayoutDelay = i.minPlayoutDelay;
  if (i.maxPlayoutDelay !== undefined) o.maxPlayoutDelay = i.maxPlayoutDelay;
  if (i.syncStreams !== undefined) o.syncStreams = i.syncStreams;
  if (i.agents !== undefined) {
    o.agents = i.agents.map(
      (a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' }),
    );
  }
  return o;
}

function permission(p: UpdateParticipantInput['permission']): Partial<ParticipantPermission> {
  const out: Partial<ParticipantPermission> = {};
  if (!p) return out;
  for (const k of [
    'canSubscribe',
    'canPublish',
    'canPublishData',
    'hidden',
    'canUpdateMetadata',
    'canSubscribeMetrics',
    'canManageAgentSession',
  ] as const) {
    const v = p[k];
    if (v !== undefined) out[k] = v;
  }
  if (p.canPublishSources) out.canPublishSources = p.canPublishSources.map(trackSourceNumber);
  return out;
}

/** The LiveKit port on livekit-server-sdk. Every method throws LiveKitError and nothing else. */
export function createLiveKitAdapter(opts: LiveKitAdapterOptions): LiveKitPort {
  const url = opts.url.replace(/^ws/, 'http');
  const { apiKey, apiSecret } = opts;
  const secrets = [apiSecret, apiKey];
  const defaultTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const startEgressTimeoutMs = opts.startEgressTimeoutMs ?? 30_000;
  const retry: RetryOptions =
    opts.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : (opts.retry ?? DEFAULT_RETRY);
  // The SDK fixes the timeout per client (in seconds), so one set of clients per timeout in use.
  const clientSets = new Map<number, Clients>();

  function clients(timeoutMs: number): Clients {
    let c = clientSets.get(timeoutMs);
    if (!c) {
      const o = { requestTimeout: timeoutMs / 1000, failover: false };
      c = {
        room: new RoomServiceClient(url, apiKey, apiSecret, o),
        egress: new EgressClient(url, apiKey, apiSecret, o),
        ingress: new IngressClient(url, apiKey, apiSecret, o),
        sip: new SipClient(url, apiKey, apiSecret, o),
      };
      clientSets.set(timeoutMs, c);
    }
    return c;
  }

  async function call<T>(
    operation: string,
    mode: Retry,
    fn: (c: Clients) => Promise<T>,
    timeoutMs = defaultTimeoutMs,
  ): Promise<T> {
    const attempt = async (): Promise<T> => {
      try {
        return await fn(clients(timeoutMs));
      } catch (err) {
        throw toLiveKitError(err, operation, secrets);
      }
    };
    return mode === 'retry' ? withRetry(attempt, retry) : attempt();
  }

  /** Deletes: "not found" means someone (maybe our own lost attempt) already did it. */
  async function deleting(operation: string, fn: (c: Clients) => Promise<unknown>): Promise<void> {
    try {
      await call(operation, 'retry', fn);
    } catch (err) {
      if (err instanceof LiveKitError && err.kind === 'not_found') return;
      throw err;
    }
  }

  async function startEgress(input: StartEgressInput, timeoutMs: number): Promise<LiveEgress> {
    const op = 'Egress.StartEgress';
    const outputs = toEncodedOutputs(input.outputs, op);
    const encodingOptions = toEncoding(input.encoding);
    const enc = encodingOptions !== undefined ? { encodingOptions } : {};
    const s = input.source;
    // Never retried: a lost answer may still have started a recording. Callers re-list.
    const info = await call<EgressInfo>(
      op,
      'once',
      (c) => {
        switch (s.type) {
          case 'roomComposite':
            return c.egress.startRoomCompositeEgress(input.roomName, outputs, {
              ...enc,
              ...(s.layout !== undefined ? { layout: s.layout } : {}),
              ...(s.audioOnly !== undefined ? { audioOnly: s.audioOnly } : {}),
              ...(s.videoOnly !== undefined ? { videoOnly: s.videoOnly } : {}),
              ...(s.customBaseUrl !== undefined ? { customBaseUrl: s.customBaseUrl } : {}),
            });
          case 'participant':
            return c.egress.startParticipantEgress(input.roomName, s.identity, outputs, {
              ...enc,
              ...(s.screenShare !== undefined ? { screenShare: s.screenShare } : {}),
            });
          case 'trackComposite':
            return c.egress.startTrackCompositeEgress(input.roomName, outputs, {
              ...enc,
              ...(s.audioTrackId !== undefined ? { audioTrackId: s.audioTrackId } : {}),
              ...(s.videoTrackId !== undefined ? { videoTrackId: s.videoTrackId } : {}),
            });
          case 'web':
            return c.egress.startWebEgress(s.url, outputs, {
              ...enc,
              ...(s.audioOnly !== undefined ? { audioOnly: s.audioOnly } : {}),
              ...(s.videoOnly !== undefined ? { videoOnly: s.videoOnly } : {}),
              ...(s.awaitStartSignal !== undefined ? { awaitStartSignal: s.awaitStartSignal } : {}),
            });
        }
      },
      timeoutMs,
    );
    return toLiveEgress(info);
  }

  const port: LiveKitPort = {
    async listRooms(names) {
      const rooms = await call('RoomService.ListRooms', 'retry', (c) =>
        c.room.listRooms(names ? [...names] : undefined),
      );
      return rooms.map(toLiveRoom);
    },
    async createRoom(input) {
      const room = await call('RoomService.CreateRoom', 'retry', (c) =>
        c.room.createRoom(createRoomOptions(input)),
      );
      return toLiveRoom(room);
    },
    deleteRoom: (name) => deleting('RoomService.DeleteRoom', (c) => c.room.deleteRoom(name)),
    async updateRoomMetadata(name, metadata) {
      const room = await call('RoomService.UpdateRoomMetadata', 'retry', (c) =>
        c.room.updateRoomMetadata(name, metadata),
      );
      return toLiveRoom(room);
    },

    async listParticipants(room) {
      const ps = await call('RoomService.ListParticipants', 'retry', (c) =>
        c.room.listParticipants(room),
      );
      return ps.map(toLiveParticipant);
    },
    async updateParticipant(room, identity, input) {
      const p = await call('RoomService.UpdateParticipant', 'retry', (c) =>
        c.room.updateParticipant(room, identity, {
          ...(input.permission !== undefined ? { permission: permission(input.permission) } : {}),
          ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
        }),
      );
      return toLiveParticipant(p);
    },
    async mutePublishedTrack(room, identity, trackSid, muted) {
      await call('RoomService.MutePublishedTrack', 'retry', (c) =>
        c.room.mutePublishedTrack(room, identity, trackSid, muted),
      );
    },
    async removeParticipant(room, identity) {
      // Not retried: a retry after a lost success would report not_found for a done job.
      await call('RoomService.RemoveParticipant', 'once', (c) =>
        c.room.removeParticipant(room, identity),
      );
    },

    async listEgress(filter = {}) {
      const items = await call('Egress.ListEgress', 'retry', () =>
        listEgressAllPages({ url, apiKey, apiSecret }, filter, defaultTimeoutMs),
      );
      return items.map(toLiveEgress);
    },
    startEgress: (input, o) => startEgress(input, o?.timeoutMs ?? startEgressTimeoutMs),
    async stopEgress(egressId, o) {
      const info = await call(
        'Egress.StopEgress',
        'once',
        (c) => c.egress.stopEgress(egressId),
        o?.timeoutMs ?? defaultTimeoutMs,
      );
      return toLiveEgress(info);
    },
    async updateStream(egressId, add, remove, o) {
      const info = await call(
        'Egress.UpdateStream',
        'once',
        (c) => c.egress.updateStream(egressId, [...add], [...remove]),
        o?.timeoutMs ?? defaultTimeoutMs,
      );
      return toLiveEgress(info);
    },

    async listIngress(filter = {}) {
      const items = await call('Ingress.ListIngress', 'retry', (c) =>
        c.ingress.listIngress({
          ...(filter.roomName !== undefined ? { roomName: filter.roomName } : {}),
          ...(filter.ingressId !== undefined ? { ingressId: filter.ingressId } : {}),
        }),
      );
      return items.map(toLiveIngress);
    },
    async createIngress(input) {
      const info = await call('Ingress.CreateIngress', 'once', (c) =>
        c.ingress.createIngress(
          ingressInputNumber(input.inputType) as ProtoIngressInput,
          ingressCreateOptions(input),
        ),
      );
      return toLiveIngress(info);
    },
    async updateIngress(ingressId, input) {
      const info = await call('Ingress.UpdateIngress', 'retry', (c) =>
        c.ingress.updateIngress(ingressId, ingressUpdateOptions(input)),
      );
      return toLiveIngress(info);
    },
    deleteIngress: (id) => deleting('Ingress.DeleteIngress', (c) => c.ingress.deleteIngress(id)),

    async listSipInboundTrunks() {
      const items = await call('SIP.ListSIPInboundTrunk', 'retry', (c) =>
        c.sip.listSipInboundTrunk(),
      );
      return items.map(toLiveSipInboundTrunk);
    },
    async createSipInboundTrunk(input) {
      const info = inboundTrunkInfo(input);
      const t = await call('SIP.CreateSIPInboundTrunk', 'once', (c) =>
        c.sip.createSipInboundTrunk(info.name, info.numbers, {
          metadata: info.metadata,
          allowedAddresses: info.allowedAddresses,
          allowedNumbers: info.allowedNumbers,
          authUsername: info.authUsername,
          authPassword: info.authPassword,
          krispEnabled: info.krispEnabled,
          headers: info.headers,
          headersToAttributes: info.headersToAttributes,
          includeHeaders: info.includeHeaders,
          mediaEncryption: info.mediaEncryption,
          ...(info.ringingTimeout ? { ringingTimeout: Number(info.ringingTimeout.seconds) } : {}),
        }),
      );
      // The SDK's create drops some fields; the whole-object update sets them (see the request file).
      if (!inboundNeedsFollowUp(input)) return toLiveSipInboundTrunk(t);
      return port.updateSipInboundTrunk(t.sipTrunkId, input);
    },
    async updateSipInboundTrunk(id, input) {
      const t = await call('SIP.UpdateSIPInboundTrunk', 'retry', (c) =>
        c.sip.updateSipInboundTrunk(id, inboundTrunkInfo(input)),
      );
      return toLiveSipInboundTrunk(t);
    },
    async listSipOutboundTrunks() {
      const items = await call('SIP.ListSIPOutboundTrunk', 'retry', (c) =>
        c.sip.listSipOutboundTrunk(),
      );
      return items.map(toLiveSipOutboundTrunk);
    },
    async createSipOutboundTrunk(input) {
      const info = outboundTrunkInfo(input);
      const t = await call('SIP.CreateSIPOutboundTrunk', 'once', (c) =>
        c.sip.createSipOutboundTrunk(info.name, info.address, info.numbers, {
          transport: info.transport,
          metadata: info.metadata,
          authUsername: info.authUsername,
          authPassword: info.authPassword,
          headers: info.headers,
          headersToAttributes: info.headersToAttributes,
          includeHeaders: info.includeHeaders,
          destinationCountry: info.destinationCountry,
          mediaEncryption: info.mediaEncryption,
        }),
      );
      if (!outboundNeedsFollowUp(input)) return toLiveSipOutboundTrunk(t);
      return port.updateSipOutboundTrunk(t.sipTrunkId, input);
    },
    async updateSipOutboundTrunk(id, input) {
      const t = await call('SIP.UpdateSIPOutboundTrunk', 'retry', (c) =>
        c.sip.updateSipOutboundTrunk(id, outboundTrunkInfo(input)),
      );
      return toLiveSipOutboundTrunk(t);
    },
    deleteSipTrunk: (id) => deleting('SIP.DeleteSIPTrunk', (c) => c.sip.deleteSipTrunk(id)),
    async listSipDispatchRules() {
      const items = await call('SIP.ListSIPDispatchRule', 'retry', (c) =>
        c.sip.listSipDispatchRule(),
      );
      return items.map(toLiveSipDispatchRule);
    },
    async createSipDispatchRule(input) {
      const r = await call('SIP.CreateSIPDispatchRule', 'once', (c) =>
        c.sip.createSipDispatchRule(sdkDispatchRule(input.rule), {
          name: input.name,
          metadata: input.metadata ?? '',
          trunkIds: [...(input.trunkIds ?? [])],
          hidePhoneNumber: input.hidePhoneNumber ?? false,
          attributes: { ...input.attributes },
          ...(input.roomPreset ? { roomPreset: input.roomPreset } : {}),
        }),
      );
      if (!ruleNeedsFollowUp(input)) return toLiveSipDispatchRule(r);
      return port.updateSipDispatchRule(r.sipDispatchRuleId, input);
    },
    async updateSipDispatchRule(id, input) {
      const r = await call('SIP.UpdateSIPDispatchRule', 'retry', (c) =>
        c.sip.updateSipDispatchRule(id, dispatchRuleInfo(input)),
      );
      return toLiveSipDispatchRule(r);
    },
    deleteSipDispatchRule: (id) =>
      deleting('SIP.DeleteSIPDispatchRule', (c) => c.sip.deleteSipDispatchRule(id)),
  };
  return port;
}
