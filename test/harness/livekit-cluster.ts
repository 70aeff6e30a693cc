import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { startLiveKit, type LiveKitEnv } from './livekit-server.ts';
import { startRedis, type RedisInstance } from './redis-server.ts';

/**
 * Two (or more) livekit-server processes sharing one Redis: a LiveKit cluster on loopback. Each
 * node has its own HTTP, RTC TCP and UDP ports (TURN is off) and registers its own node id in
 * Redis; rooms are placed on any node ("any" selector, random), and the API of every node lists and
 * deletes the rooms of all. Started by the test file that needs it, stopped after it, so the rest of
 * the suite keeps its single shared server.
 */
export interface LiveKitCluster {
  nodes: LiveKitEnv[];
  redis: RedisInstance;
  apiKey: string;
  apiSecret: string;
  /** The node id LiveKit's Redis maps a room to (`room_node_map`), or undefined. */
  nodeOf(room: string): Promise<string | undefined>;
  /** Room name -> node id, for every room LiveKit's Redis maps. */
  placement(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** Nodes to start (default 2). */
  size?: number;
  /** Where every node posts its webhooks. */
  webhookUrls?: string[];
}

async function redisCli(port: number, args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('redis-cli', ['-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout.split('\n').filter((l) => l !== '');
}

/** Room name -> node id, for every room the LiveKit Redis on `redisPort` maps (`room_node_map`). */
export async function roomPlacement(redisPort: number): Promise<Map<string, string>> {
  const flat = await redisCli(redisPort, ['hgetall', 'room_node_map']);
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
}

export async function startLiveKitCluster(opts: StartClusterOptions = {}): Promise<LiveKitCluster> {
  const redis = await startRedis();
  const apiKey = `APIlkg${randomBytes(6).toString('hex')}`;
  const apiSecret = randomBytes(32).toString('base64url');
  const nodes: LiveKitEnv[] = [];
  async function stop(): Promise<void> {
    const results = await Promise.allSettled(nodes.map((n) => n.stop()));
    await redis.stop();
    for (const r of results) if (r.status === 'rejected') console.error(r.reason);
  }
  try {
    // One at a time: each node registers in Redis before the next one looks for peers.
    for (let i = 0; i < (opts.size ?? 2); i++) {
      nodes.push(
        await startLiveKit({
          redisAddress: redis.address,
          apiKey,
          apiSecret,
          webhookUrls: opts.webhookUrls ?? [],
        }),
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    nodes,
    redis,
    apiKey,
    apiSecret,
    async nodeOf(room) {
      const [id] = await redisCli(redis.port, ['hget', 'room_node_map', room]);
      return id;
    },
    placement: () => roomPlacement(redis.port),
    stop,
  };
}
