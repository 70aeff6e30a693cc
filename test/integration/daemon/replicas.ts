/**
 * Daemon replicas on one Redis for the webhook-stream tests: start a replica as a process, post
 * LiveKit-signed webhooks, and read what Redis holds (the shared status documents, the stream's
 * pending entries). Used by daemon-replica-webhooks.test.ts and daemon-webhook-flood.test.ts.
 */
import { Redis } from 'ioredis';
import type { RoomStatus } from '../../../src/adapters/status/room-status.ts';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import type { RedisInstance } from '../../harness/redis-server.ts';
import {
  signedWebhook,
  startDaemonChild,
  type DaemonChild,
  type Server,
} from './daemon-process.ts';

export const PREFIX = 'livekit-gitops:';

export async function startReplica(
  server: Server,
  redis: RedisInstance,
  room: string,
  extra: readonly string[] = [],
): Promise<DaemonChild> {
  const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml(room) });
  return startDaemonChild(ws, server, [
    '--interval',
    '1h',
    '--state-backend',
    'redis',
    '--redis-address',
    redis.address,
    '--lock-ttl',
    '3s',
    ...extra,
  ]);
}

export async function isReady(d: DaemonChild): Promise<boolean> {
  const res = await fetch(`${d.probeBase}/readyz`).catch(() => undefined);
  await res?.text();
  return res?.status === 200;
}

/** A participant_joined event as LiveKit sends it (protobuf JSON). */
export function joinedBody(id: string, room: string, identity: string): string {
  return JSON.stringify({
    event: 'participant_joined',
    id,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: room, sid: 'RM_replicas' },
    participant: { identity, sid: `PA_${identity}`, state: 'ACTIVE' },
  });
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

export async function signed(
  body: string,
  server: Pick<Server, 'apiKey' | 'apiSecret'>,
): Promise<SignedWebhook> {
  return {
    body,
    headers: {
      'content-type': 'application/webhook+json',
      authorization: await signedWebhook(body, server),
    },
  };
}

export interface WebhookAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

export async function post(d: DaemonChild, w: SignedWebhook): Promise<WebhookAnswer> {
  const res = await fetch(d.webhookUrl, { method: 'POST', body: w.body, headers: w.headers });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

export function redisClient(redis: RedisInstance): Redis {
  return new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 });
}

/** The room's status document as the replicas share it in Redis. */
export async function sharedRoomStatus(r: Redis, room: string): Promise<RoomStatus | undefined> {
  const text = await r.hget(`${PREFIX}status`, `room:${room}`);
  return text === null ? undefined : (JSON.parse(text) as RoomStatus);
}

/** How many times the room's shared status lists the event id (0, or 1 when folded once). */
export async function foldedTimes(r: Redis, room: string, id: string): Promise<number> {
  const s = await sharedRoomStatus(r, room);
  return s?.events.filter((e) => e.id === id).length ?? 0;
}

/** Entries read from the webhook stream and not yet acknowledged, per consumer. */
export async function pendingByConsumer(r: Redis): Promise<Record<string, number>> {
  const summary = (await r.xpending(`${PREFIX}webhooks`, 'daemon')) as [
    number,
    string | null,
    string | null,
    Array<[string, string]> | null,
  ];
  return Object.fromEntries((summary[3] ?? []).map(([c, n]) => [c, Number(n)]));
}
