import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';

export interface ParticipantServer {
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
}

export interface JoinOptions {
  room: string;
  identity: string;
  name?: string;
  attributes?: Record<string, string>;
  metadata?: string;
  publishAudio?: boolean;
  publishVideo?: boolean;
  /** Token kind (`standard`, `agent`, ...); the server reports it as the participant's kind. */
  kind?: 'standard' | 'ingress' | 'egress' | 'sip' | 'agent';
  /** Merged over the default grant (join + publish + subscribe in `room`). */
  grants?: Partial<VideoGrant>;
}

export interface JoinedParticipant {
  room: Room;
  identity: string;
  /** Publishes a synthetic microphone track (a few frames of silence pushed so it is real). */
  publishAudio(): Promise<string>;
  /** Publishes a synthetic camera track. */
  publishVideo(): Promise<string>;
  unpublishAll(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * rtc-node logs every FFI event as JSON to stdout at debug level (its `log` is not exported);
 * its CommonJS build shares one module instance, so the logger can be quietened through it.
 */
function quietRtcLogs(): void {
  try {
    const require = createRequire(import.meta.url);
    const entry = fileURLToPath(import.meta.resolve('@livekit/rtc-node'));
    const mod = require(join(dirname(entry), 'log.cjs')) as { log?: { level: string } };
    if (mod.log) mod.log.level = 'warn';
  } catch {
    // Only noise is at stake.
  }
}
quietRtcLogs();

const joined = new Set<JoinedParticipant>();

async function pushAudio(source: AudioSource): Promise<void> {
  const samples = 480; // 10 ms at 48 kHz
  for (let i = 0; i < 5; i++) {
    await source.captureFrame(new AudioFrame(new Int16Array(samples), 48_000, 1, samples));
  }
}

function pushVideo(source: VideoSource): void {
  const w = 64;
  const h = 48;
  for (let i = 0; i < 3; i++) {
    source.captureFrame(new VideoFrame(new Uint8Array(w * h * 4), w, h, VideoBufferType.RGBA));
  }
}

export async function participantToken(server: ParticipantServer, o: JoinOptions): Promise<string> {
  const at = new AccessToken(server.apiKey, server.apiSecret, {
    identity: o.identity,
    ttl: '1h',
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
    ...(o.attributes !== undefined ? { attributes: o.attributes } : {}),
  });
  at.addGrant({
    roomJoin: true,
    room: o.room,
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
    ...o.grants,
  });
  if (o.kind !== undefined) at.kind = o.kind;
  return at.toJwt();
}

/** Joins a real participant over loopback with @livekit/rtc-node. Call `disposeRtc()` in `afterAll`. */
export async function joinParticipant(
  server: ParticipantServer,
  o: JoinOptions,
): Promise<JoinedParticipant> {
  const token = await participantToken(server, o);
  const room = new Room();
  await room.connect(server.wsUrl, token, { autoSubscribe: false, dynacast: false });
  const sources: (AudioSource | VideoSource)[] = [];
  const local = (): NonNullable<Room['localParticipant']> => {
    if (!room.localParticipant) throw new Error(`${o.identity} is not connected`);
    return room.localParticipant;
  };

  const p: JoinedParticipant = {
    room,
    identity: o.identity,
    async publishAudio() {
      const source = new AudioSource(48_000, 1);
      sources.push(source);
      const track = LocalAudioTrack.createAudioTrack('microphone', source);
      const pub = await local().publishTrack(
        track,
        new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
      );
      await pushAudio(source);
      return pub.sid ?? '';
    },
    async publishVideo() {
      const source = new VideoSource(64, 48);
      sources.push(source);
      const track = LocalVideoTrack.createVideoTrack('camera', source);
      const pub = await local().publishTrack(
        track,
        new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }),
      );
      pushVideo(source);
      return pub.sid ?? '';
    },
    async unpublishAll() {
      const lp = local();
      for (const sid of [...lp.trackPublications.keys()]) await lp.unpublishTrack(sid);
    },
    async disconnect() {
      joined.delete(p);
      await room.disconnect();
      for (const s of sources) await s.close();
    },
  };
  joined.add(p);
  try {
    if (o.publishAudio) await p.publishAudio();
    if (o.publishVideo) await p.publishVideo();
  } catch (err) {
    await p.disconnect();
    throw err;
  }
  return p;
}

export async function disconnectAll(): Promise<void> {
  await Promise.allSettled([...joined].map((p) => p.disconnect()));
}

/**
 * Disconnects everyone and releases rtc-node's native side; without it the process never exits.
 * Once per test file, in `afterAll`: rtc-node cannot be used again in that process afterwards.
 */
export async function disposeRtc(): Promise<void> {
  await disconnectAll();
  await dispose();
}
