/**
 * An in-memory LiveKitPort with LiveKit's real semantics, pinned by the contract suite
 * (test/contract/livekit-port.contract.ts) that also runs against a real server.
 * It has no media: tests add participants and tracks through the hooks at the bottom.
 */
import { LiveKitError, type LiveKitErrorKind } from '../../src/core/errors.ts';
import { FakeAgentDispatches } from './fake-agent-dispatch.ts';
import type {
  EgressStatus,
  LiveAgentDispatch,
  LiveEgress,
  LiveIngress,
  LiveParticipant,
  LiveRoom,
  LiveSipDispatchRule,
  LiveSipHeaders,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
  LiveTrack,
  ParticipantKind,
  ParticipantPermissions,
  TrackSource,
} from '../../src/core/live.ts';
import type {
  CreateAgentDispatchInput,
  LiveKitPort,
  SipDispatchRuleInput,
  SipInboundTrunkInput,
  SipOutboundTrunkInput,
  UpdateParticipantInput,
} from '../../src/adapters/livekit/port.ts';
import { summaryOfStartInput } from '../../src/kinds/recording-policy/fingerprint.ts';

export interface FakeLiveKitOptions {
  /** `false`: egress, ingress and SIP fail with `internal` "... not connected (redis required)". */
  redis?: boolean;
  /** Clock in Unix ms (default Date.now). */
  now?: () => number;
}

export interface FakeParticipantInput {
  identity: string;
  name?: string;
  kind?: ParticipantKind;
  metadata?: string;
  attributes?: Record<string, string>;
  permission?: Partial<ParticipantPermissions>;
}

export interface FakeCall {
  method: string;
  args: unknown[];
}

type Method = keyof LiveKitPort;

const SERVER_DEFAULT_EMPTY_TIMEOUT = 300;
const SERVER_DEFAULT_DEPARTURE_TIMEOUT = 20;

function fullPermission(p: Partial<ParticipantPermissions> = {}): ParticipantPermissions {
  return {
    canSubscribe: p.canSubscribe ?? false,
    canPublish: p.canPublish ?? false,
    canPublishData: p.canPublishData ?? false,
    canPublishSources: [...(p.canPublishSources ?? [])],
    hidden: p.hidden ?? false,
    canUpdateMetadata: p.canUpdateMetadata ?? false,
    canSubscribeMetrics: p.canSubscribeMetrics ?? false,
    canManageAgentSession: p.canManageAgentSession ?? false,
  };
}

export class FakeLiveKit implements LiveKitPort {
  readonly calls: FakeCall[] = [];
  private readonly redis: boolean;
  private readonly now: () => number;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly participants = new Map<string, Map<string, LiveParticipant>>();
  private readonly egress = new Map<string, LiveEgress>();
  private readonly lostEgress = new Set<string>();
  private readonly ingress = new Map<string, LiveIngress>();
  private readonly inbound = new Map<string, LiveSipInboundTrunk>();
  private readonly outbound = new Map<string, LiveSipOutboundTrunk>();
  private readonly rules = new Map<string, LiveSipDispatchRule>();
  private readonly failures = new Map<
    string,
    { count: number; kind: LiveKitErrorKind; message: string }
  >();
  private seq = 0;
  private readonly agents = new FakeAgentDispatches({
    now: () => this.now(),
    id: (prefix) => this.id(prefix),
    join: (room, identity, agentName) => {
      this.addParticipant(room, {
        identity,
        kind: 'agent',
        attributes: { 'lk.agent.name': agentName },
      });
    },
    leave: (room, identity) => {
      this.participants.get(room)?.delete(identity);
      this.refreshCounts(room);
    },
  });

  constructor(opts: FakeLiveKitOptions = {}) {
    this.redis = opts.redis ?? true;
    this.now = opts.now ?? Date.now;
  }

  private id(prefix: string): string {
    this.seq++;
    return `${prefix}_fake${this.seq.toString(36).padStart(6, '0')}`;
  }

  /** Records the call and throws an injected failure if one is queued for it. */
  private enter(method: Method, op: string, args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) });
    const f = this.failures.get(method);
    if (f && f.count > 0) {
      f.count--;
      throw new LiveKitError(f.kind, op, f.message, { status: 0 });
    }
  }

  private needRedis(service: 'egress' | 'ingress' | 'sip', op: string): void {
    if (!this.redis) {
      throw new LiveKitError('internal', op, `${service} not connected (redis required)`, {
        serverCode: 'internal',
        status: 500,
      });
    }
  }

  private notFound(op: string, what: string): LiveKitError {
    return new LiveKitError('not_found', op, what, { serverCode: 'not_found', status: 404 });
  }

  private member(op: string, room: string, identity: string): LiveParticipant {
    const p = this.participants.get(room)?.get(identity);
    if (!p) throw this.notFound(op, 'participant does not exist');
    return p;
  }

  private refreshCounts(room: string): void {
    const r = this.rooms.get(room);
    if (!r) return;
    const ps = [...(this.participants.get(room)?.values() ?? [])];
    r.numParticipants = ps.length;
    r.numPublishers = ps.filter((p) => p.tracks.length > 0).length;
    r.activeRecording = [...this.egress.values()].some(
      (e) => e.roomName === room && ['starting', 'active', 'ending'].includes(e.status),
    );
  }

  // Rooms

  listRooms(names?: readonly string[]): Promise<LiveRoom[]> {
    return this.run('listRooms', 'RoomService.ListRooms', [names], () => {
      const all = [...this.rooms.values()];
      return names && names.length > 0 ? all.filter((r) => names.includes(r.name)) : all;
    });
  }

  createRoom(input: Parameters<LiveKitPort['createRoom']>[0]): Promise<LiveRoom> {
    return this.run('createRoom', 'RoomService.CreateRoom', [input], () => {
      const existing = this.rooms.get(input.name);
      if (existing) return existing; // an active room comes back unchanged
      return this.makeRoom(input.name, input, input.agents ?? []);
    });
  }

  private makeRoom(
    name: string,
    input: {
      emptyTimeout?: number;
      departureTimeout?: number;
      maxParticipants?: number;
      metadata?: string;
    },
    agents: readonly { agentName: string; metadata?: string }[] = [],
  ): LiveRoom {
    const room: LiveRoom = {
      sid: this.id('RM'),
      name,
      emptyTimeout: input.emptyTimeout || SERVER_DEFAULT_EMPTY_TIMEOUT,
      departureTimeout: input.departureTimeout || SERVER_DEFAULT_DEPARTURE_TIMEOUT,
      maxParticipants: input.maxParticipants ?? 0,
      metadata: input.metadata ?? '',
      numParticipants: 0,
      numPublishers: 0,
      activeRecording: false,
      creationTimeMs: this.now(),
    };
    this.rooms.set(name, room);
    this.participants.set(name, new Map());
    this.agents.roomCreated(name, agents);
    return room;
  }

  deleteRoom(name: string): Promise<void> {
    return this.run('deleteRoom', 'RoomService.DeleteRoom', [name], () => {
      this.rooms.delete(name);
      this.participants.delete(name);
      this.agents.roomDeleted(name);
    });
  }

  updateRoomMetadata(name: string, metadata: string): Promise<LiveRoom> {
    const op = 'RoomService.UpdateRoomMetadata';
    return this.run('updateRoomMetadata', op, [name, metadata], () => {
      const r = this.rooms.get(name);
      if (!r) throw this.notFound(op, 'requested room does not exist');
      r.metadata = metadata;
      return r;
    });
  }

  // Participants

  listParticipants(room: string): Promise<LiveParticipant[]> {
    // LiveKit answers an empty list (not not_found) for a room that does not exist.
    return this.run('listParticipants', 'RoomService.ListParticipants', [room], () => [
      ...(this.participants.get(room)?.values() ?? []),
    ]);
  }

  updateParticipant(
    room: string,
    identity: string,
    input: UpdateParticipantInput,
  ): Promise<LiveParticipant> {
    const op = 'RoomService.UpdateParticipant';
    return this.run('updateParticipant', op, [room, identity, input], () => {
      const p = this.member(op, room, identity);
      if (input.permission) {
        // LiveKit replaces the permission as a whole; a participant that may no longer publish
        // loses its tracks at once.
        p.permission = fullPermission(input.permission);
        if (!p.permission.canPublish) p.tracks = [];
        p.isPublisher = p.tracks.length > 0;
      }
      if (input.attributes) {
        for (const [k, v] of Object.entries(input.attributes)) {
          if (v === '') delete p.attributes[k];
          else p.attributes[k] = v;
        }
      }
      if (input.metadata !== undefined) p.metadata = input.metadata;
      if (input.name !== undefined) p.name = input.name;
      this.refreshCounts(room);
      return p;
    });
  }

  mutePublishedTrack(
    room: string,
    identity: string,
    trackSid: string,
    muted: boolean,
  ): Promise<void> {
    const op = 'RoomService.MutePublishedTrack';
    return this.run('mutePublishedTrack', op, [room, identity, trackSid, muted], () => {
      const t = this.member(op, room, identity).tracks.find((x) => x.sid === trackSid);
      if (!t) throw this.notFound(op, 'track is not found');
      t.muted = muted;
    });
  }

  removeParticipant(room: string, identity: string): Promise<void> {
    const op = 'RoomService.RemoveParticipant';
    return this.run('removeParticipant', op, [room, identity], () => {
      this.member(op, room, identity);
      this.participants.get(room)?.delete(identity);
      this.refreshCounts(room);
    });
  }

  // Agent dispatch

  listAgentDispatches(room: string): Promise<LiveAgentDispatch[]> {
    const op = 'AgentDispatch.ListDispatch';
    return this.run('listAgentDispatches', op, [room], () => {
      if (!this.agents.has(room)) throw this.noRoomNode(op);
      return this.agents.list(room);
    });
  }

  createAgentDispatch(input: CreateAgentDispatchInput): Promise<LiveAgentDispatch> {
    const op = 'AgentDispatch.CreateDispatch';
    return this.run('createAgentDispatch', op, [input], () => {
      // LiveKit creates a room that does not exist (with its automatic dispatch).
      if (!this.rooms.has(input.room)) this.makeRoom(input.room, {});
      return this.agents.add(input.room, input.agentName, input.metadata ?? '');
    });
  }

  deleteAgentDispatch(room: string, dispatchId: string): Promise<void> {
    const op = 'AgentDispatch.DeleteDispatch';
    return this.run('deleteAgentDispatch', op, [room, dispatchId], () => {
      if (!this.agents.has(room)) throw this.noRoomNode(op);
      this.agents.delete(room, dispatchId);
    });
  }

  /** What LiveKit answers for a room-scoped call to a room no node hosts. */
  private noRoomNode(op: string): LiveKitError {
    return new LiveKitError('unavailable', op, 'no response from servers', {
      serverCode: 'unavailable',
      status: 503,
    });
  }

  // Egress

  listEgress(
    filter: { roomName?: string; egressId?: string; active?: boolean } = {},
  ): Promise<LiveEgress[]> {
    const op = 'Egress.ListEgress';
    return this.run('listEgress', op, [filter], () => {
      this.needRedis('egress', op);
      if (filter.egressId) {
        const e = this.egress.get(filter.egressId);
        if (!e) throw this.notFound(op, 'egress does not exist');
        return [e];
      }
      return [...this.egress.values()].filter(
        (e) =>
          (!filter.roomName || e.roomName === filter.roomName) &&
          (!filter.active || ['starting', 'active', 'ending'].includes(e.status)),
      );
    });
  }

  startEgress(input: Parameters<LiveKitPort['startEgress']>[0]): Promise<LiveEgress> {
    const op = 'Egress.StartEgress';
    return this.run('startEgress', op, [input], () => {
      this.needRedis('egress', op);
      const room = this.rooms.get(input.roomName);
      if (input.source.type !== 'web' && !room) {
        throw this.notFound(op, 'requested room does not exist');
      }
      if (input.outputs.length === 0) {
        throw new LiveKitError('invalid', op, 'an egress needs at least one output');
      }
      const t = this.now();
      const e: LiveEgress = {
        egressId: this.id('EG'),
        roomName: input.roomName,
        roomId: room?.sid ?? '',
        status: 'starting',
        source: input.source.type,
        startedAtMs: 0,
        endedAtMs: 0,
        updatedAtMs: t,
        error: '',
        fileResults: [],
        streamResults: [],
        request: summaryOfStartInput(input),
      };
      this.egress.set(e.egressId, e);
      this.refreshCounts(input.roomName);
      return e;
    });
  }

  stopEgress(egressId: string): Promise<LiveEgress> {
    const op = 'Egress.StopEgress';
    return this.run('stopEgress', op, [egressId], () => {
      this.needRedis('egress', op);
      const e = this.egress.get(egressId);
      if (!e) throw this.notFound(op, 'egress does not exist');
      if (!['starting', 'active'].includes(e.status)) {
        throw new LiveKitError('conflict', op, `egress with status ${e.status} cannot be stopped`, {
          serverCode: 'failed_precondition',
          status: 412,
        });
      }
      e.status = 'ending';
      e.updatedAtMs = this.now();
      const answer = structuredClone(e);
      e.status = 'complete';
      e.endedAtMs = this.now();
      this.refreshCounts(e.roomName);
      return answer;
    });
  }

  updateStream(
    egressId: string,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<LiveEgress> {
    const op = 'Egress.UpdateStream';
    return this.run('updateStream', op, [egressId, add, remove], () => {
      this.needRedis('egress', op);
      const e = this.egress.get(egressId);
      if (!e) throw this.notFound(op, 'egress does not exist');
      // A worker that died: the server keeps the egress ACTIVE and answers UpdateStream with
      // 503 "no response from servers" (measured on v1.13.5; see recording-policy/probe.ts).
      if (this.lostEgress.has(egressId)) {
        throw new LiveKitError('unavailable', op, 'no response from servers', {
          serverCode: 'unavailable',
          status: 503,
        });
      }
      for (const url of add) e.streamResults.push({ url, status: 'active', error: '' });
      for (const url of remove) {
        for (const r of e.streamResults) if (r.url === url) r.status = 'finished';
      }
      return e;
    });
  }

  /** Test hook: the egress's worker dies (it stays ACTIVE; updateStream says no server answers). */
  loseEgress(egressId: string): void {
    this.lostEgress.add(egressId);
  }

  // Ingress

  listIngress(filter: { roomName?: string; ingressId?: string } = {}): Promise<LiveIngress[]> {
    const op = 'Ingress.ListIngress';
    return this.run('listIngress', op, [filter], () => {
      this.needRedis('ingress', op);
      return [...this.ingress.values()].filter(
        (i) =>
          (!filter.roomName || i.roomName === filter.roomName) &&
          (!filter.ingressId || i.ingressId === filter.ingressId),
      );
    });
  }

  createIngress(input: Parameters<LiveKitPort['createIngress']>[0]): Promise<LiveIngress> {
    const op = 'Ingress.CreateIngress';
    return this.run('createIngress', op, [input], () => {
      this.needRedis('ingress', op);
      const i: LiveIngress = {
        ingressId: this.id('IN'),
        name: input.name,
        inputType: input.inputType,
        roomName: input.roomName,
        participantIdentity: input.participantIdentity,
        participantName: input.participantName ?? '',
        participantMetadata: input.participantMetadata ?? '',
        enableTranscoding: input.enableTranscoding ?? input.inputType !== 'whip',
        url: input.url ?? '',
        streamKey: input.inputType === 'url' ? '' : this.id('SK'),
        enabled: input.enabled ?? true,
        audioPreset: input.audioPreset ?? '',
        videoPreset: input.videoPreset ?? '',
      };
      this.ingress.set(i.ingressId, i);
      return i;
    });
  }

  updateIngress(
    ingressId: string,
    input: Parameters<LiveKitPort['updateIngress']>[1],
  ): Promise<LiveIngress> {
    const op = 'Ingress.UpdateIngress';
    return this.run('updateIngress', op, [ingressId, input], () => {
      this.needRedis('ingress', op);
      const i = this.ingress.get(ingressId);
      if (!i) throw this.notFound(op, 'ingress does not exist');
      Object.assign(i, {
        name: input.name,
        roomName: input.roomName,
        participantIdentity: input.participantIdentity,
        participantName: input.participantName ?? i.participantName,
        participantMetadata: input.participantMetadata ?? i.participantMetadata,
        enableTranscoding: input.enableTranscoding ?? i.enableTranscoding,
        enabled: input.enabled ?? i.enabled,
        audioPreset: input.audioPreset ?? i.audioPreset,
        videoPreset: input.videoPreset ?? i.videoPreset,
      });
      return i;
    });
  }

  deleteIngress(ingressId: string): Promise<void> {
    const op = 'Ingress.DeleteIngress';
    return this.run('deleteIngress', op, [ingressId], () => {
      this.needRedis('ingress', op);
      this.ingress.delete(ingressId);
    });
  }

  // SIP

  listSipInboundTrunks(): Promise<LiveSipInboundTrunk[]> {
    return this.sipList('listSipInboundTrunks', 'SIP.ListSIPInboundTrunk', this.inbound);
  }

  createSipInboundTrunk(input: SipInboundTrunkInput): Promise<LiveSipInboundTrunk> {
    const op = 'SIP.CreateSIPInboundTrunk';
    return this.run('createSipInboundTrunk', op, [input], () => {
      this.needRedis('sip', op);
      const t = this.inboundFrom(this.id('ST'), input);
      this.inbound.set(t.sipTrunkId, t);
      return t;
    });
  }

  updateSipInboundTrunk(id: string, input: SipInboundTrunkInput): Promise<LiveSipInboundTrunk> {
    const op = 'SIP.UpdateSIPInboundTrunk';
    return this.run('updateSipInboundTrunk', op, [id, input], () => {
      this.needRedis('sip', op);
      if (!this.inbound.has(id)) throw this.notFound(op, 'requested sip trunk does not exist');
      const t = this.inboundFrom(id, input);
      this.inbound.set(id, t);
      return t;
    });
  }

  private inboundFrom(id: string, i: SipInboundTrunkInput): LiveSipInboundTrunk {
    return {
      sipTrunkId: id,
      name: i.name,
      metadata: i.metadata ?? '',
      numbers: [...i.numbers],
      allowedAddresses: [...(i.allowedAddresses ?? [])],
      allowedNumbers: [...(i.allowedNumbers ?? [])],
      authUsername: i.authUsername ?? '',
      authPassword: i.authPassword ?? '',
      krispEnabled: i.krispEnabled ?? false,
      ...fakeSipHeaders(i),
      ringingTimeoutMs: i.ringingTimeoutMs ?? 0,
      maxCallDurationMs: i.maxCallDurationMs ?? 0,
    };
  }

  listSipOutboundTrunks(): Promise<LiveSipOutboundTrunk[]> {
    return this.sipList('listSipOutboundTrunks', 'SIP.ListSIPOutboundTrunk', this.outbound);
  }

  createSipOutboundTrunk(input: SipOutboundTrunkInput): Promise<LiveSipOutboundTrunk> {
    const op = 'SIP.CreateSIPOutboundTrunk';
    return this.run('createSipOutboundTrunk', op, [input], () => {
      this.needRedis('sip', op);
      const t = this.outboundFrom(this.id('ST'), input);
      this.outbound.set(t.sipTrunkId, t);
      return t;
    });
  }

  updateSipOutboundTrunk(id: string, input: SipOutboundTrunkInput): Promise<LiveSipOutboundTrunk> {
    const op = 'SIP.UpdateSIPOutboundTrunk';
    return this.run('updateSipOutboundTrunk', op, [id, input], () => {
      this.needRedis('sip', op);
      if (!this.outbound.has(id)) throw this.notFound(op, 'requested sip trunk does not exist');
      const t = this.outboundFrom(id, input);
      this.outbound.set(id, t);
      return t;
    });
  }

  private outboundFrom(id: string, i: SipOutboundTrunkInput): LiveSipOutboundTrunk {
    return {
      sipTrunkId: id,
      name: i.name,
      metadata: i.metadata ?? '',
      address: i.address,
      transport: i.transport ?? 'auto',
      numbers: [...i.numbers],
      authUsername: i.authUsername ?? '',
      authPassword: i.authPassword ?? '',
      ...fakeSipHeaders(i),
      destinationCountry: i.destinationCountry ?? '',
      fromHost: i.fromHost ?? '',
    };
  }

  deleteSipTrunk(id: string): Promise<void> {
    const op = 'SIP.DeleteSIPTrunk';
    return this.run('deleteSipTrunk', op, [id], () => {
      this.needRedis('sip', op);
      this.inbound.delete(id);
      this.outbound.delete(id);
    });
  }

  listSipDispatchRules(): Promise<LiveSipDispatchRule[]> {
    return this.sipList('listSipDispatchRules', 'SIP.ListSIPDispatchRule', this.rules);
  }

  createSipDispatchRule(input: SipDispatchRuleInput): Promise<LiveSipDispatchRule> {
    const op = 'SIP.CreateSIPDispatchRule';
    return this.run('createSipDispatchRule', op, [input], () => {
      this.needRedis('sip', op);
      const r = this.ruleFrom(this.id('SDR'), input);
      this.rules.set(r.sipDispatchRuleId, r);
      return r;
    });
  }

  updateSipDispatchRule(id: string, input: SipDispatchRuleInput): Promise<LiveSipDispatchRule> {
    const op = 'SIP.UpdateSIPDispatchRule';
    return this.run('updateSipDispatchRule', op, [id, input], () => {
      this.needRedis('sip', op);
      if (!this.rules.has(id))
        throw this.notFound(op, 'requested sip dispatch rule does not exist');
      const r = this.ruleFrom(id, input);
      this.rules.set(id, r);
      return r;
    });
  }

  private ruleFrom(id: string, i: SipDispatchRuleInput): LiveSipDispatchRule {
    return {
      sipDispatchRuleId: id,
      name: i.name,
      metadata: i.metadata ?? '',
      trunkIds: [...(i.trunkIds ?? [])],
      hidePhoneNumber: i.hidePhoneNumber ?? false,
      attributes: { ...i.attributes },
      inboundNumbers: [...(i.inboundNumbers ?? [])],
      numbers: [...(i.numbers ?? [])],
      roomPreset: i.roomPreset ?? '',
      krispEnabled: i.krispEnabled ?? false,
      mediaEncryption: i.mediaEncryption ?? 'disable',
      // LiveKit reads noRandomness back as false when unset.
      rule:
        i.rule.type === 'individual'
          ? { ...i.rule, noRandomness: i.rule.noRandomness ?? false }
          : structuredClone(i.rule),
    };
  }

  deleteSipDispatchRule(id: string): Promise<void> {
    const op = 'SIP.DeleteSIPDispatchRule';
    return this.run('deleteSipDispatchRule', op, [id], () => {
      this.needRedis('sip', op);
      this.rules.delete(id);
    });
  }

  private sipList<T>(method: Method, op: string, from: Map<string, T>): Promise<T[]> {
    return this.run(method, op, [], () => {
      this.needRedis('sip', op);
      return [...from.values()];
    });
  }

  /** Async like the real thing; results are copies so callers cannot reach into the fake. */
  private async run<T>(method: Method, op: string, args: unknown[], fn: () => T): Promise<T> {
    await Promise.resolve();
    this.enter(method, op, args);
    return structuredClone(fn());
  }

  // Test hooks (no media in a fake: participants and tracks are added by hand)

  /** A worker registers this agent name: its dispatches get a job whose agent joins the room. */
  registerAgent(agentName: string): void {
    this.agents.registerAgent(agentName);
  }

  /** A client joining: auto-creates the room with server defaults, like LiveKit's auto_create. */
  addParticipant(room: string, p: FakeParticipantInput): LiveParticipant {
    if (!this.rooms.has(room)) this.makeRoom(room, {});
    const participant: LiveParticipant = {
      sid: this.id('PA'),
      identity: p.identity,
      name: p.name ?? '',
      kind: p.kind ?? 'standard',
      state: 'active',
      metadata: p.metadata ?? '',
      attributes: { ...p.attributes },
      joinedAtMs: this.now(),
      permission: fullPermission({
        canSubscribe: true,
        canPublish: true,
        canPublishData: true,
        ...p.permission,
      }),
      tracks: [],
      isPublisher: false,
    };
    this.participants.get(room)?.set(p.identity, participant);
    this.refreshCounts(room);
    return structuredClone(participant);
  }

  /** Publishes a track for a participant; returns its sid. */
  addTrack(
    room: string,
    identity: string,
    t: { source: TrackSource; type?: LiveTrack['type']; name?: string; muted?: boolean },
  ): string {
    const p = this.member('fake.addTrack', room, identity);
    const sid = this.id('TR');
    p.tracks.push({
      sid,
      name: t.name ?? t.source,
      type:
        t.type ??
        (t.source === 'microphone' || t.source === 'screen_share_audio' ? 'audio' : 'video'),
      source: t.source,
      muted: t.muted ?? false,
    });
    p.isPublisher = true;
    this.refreshCounts(room);
    return sid;
  }

  /** A participant leaving on its own. */
  leave(room: string, identity: string): void {
    this.participants.get(room)?.delete(identity);
    this.refreshCounts(room);
  }

  /** Moves an egress along (an egress worker would). */
  setEgressStatus(egressId: string, status: EgressStatus, error = ''): void {
    const e = this.egress.get(egressId);
    if (!e) throw new Error(`no egress ${egressId}`);
    e.status = status;
    e.error = error;
    e.updatedAtMs = this.now();
    if (status === 'active' && e.startedAtMs === 0) e.startedAtMs = this.now();
    if (['complete', 'failed', 'aborted', 'limit_reached'].includes(status))
      e.endedAtMs = this.now();
    this.refreshCounts(e.roomName);
  }

  /** The next `count` calls of `method` throw LiveKitError(kind). */
  failNext(
    method: Method,
    count: number,
    kind: LiveKitErrorKind,
    message = `injected ${kind}`,
  ): void {
    this.failures.set(method, { count, kind, message });
  }

  /** Calls of one method so far. */
  callsOf(method: Method): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}

export function createFakeLiveKit(opts: FakeLiveKitOptions = {}): FakeLiveKit {
  return new FakeLiveKit(opts);
}

/** The header/encryption fields of a trunk as LiveKit reads them back (empty maps, enum defaults). */
function fakeSipHeaders(i: SipInboundTrunkInput | SipOutboundTrunkInput): LiveSipHeaders {
  return {
    headers: { ...i.headers },
    headersToAttributes: { ...i.headersToAttributes },
    attributesToHeaders: { ...i.attributesToHeaders },
    includeHeaders: i.includeHeaders ?? 'none',
    mediaEncryption: i.mediaEncryption ?? 'disable',
  };
}
