import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { startRedis, type RedisInstance } from './redis-server.ts';

export interface StartLiveKitOptions {
  /** `host:port` of a running Redis. Absent: a throwaway Redis is started (and stopped with the server). */
  redisAddress?: string;
  /** `false` runs the server without Redis (egress/ingress/SIP then fail with `internal`). */
  redis?: boolean;
  /** Where LiveKit posts webhooks. */
  webhookUrls?: string[];
  apiKey?: string;
  apiSecret?: string;
  /** Milliseconds to wait for `GET /` to answer 200. */
  startTimeoutMs?: number;
}

export interface LiveKitEnv {
  /** http://127.0.0.1:PORT, for the server SDK. */
  url: string;
  /** ws://127.0.0.1:PORT, for clients. */
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Empty when the server runs without Redis. */
  redisAddress: string;
  /** e.g. `1.13.5`. */
  version: string;
  /** The server's output so far (the last few MB). */
  log(): string;
  stop(): Promise<void>;
  /** Stops and starts the server again on the same ports and config (Redis keeps running). */
  restart(): Promise<void>;
  /**
   * SIGKILL: the process dies without draining or deregistering (a lost node). `restart()` starts
   * it again; `stop()` still cleans up.
   */
  kill(): Promise<void>;
  /** The node id this process registered under (`ND_…`, from its log). */
  nodeId(): string;
}

const BINARY = 'livekit-server';
const LOG_LIMIT = 4 * 1024 * 1024;

/** `livekit-server --version` without the prefix; throws a setup hint when the binary is missing. */
export async function liveKitServerVersion(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(BINARY, ['--version'], { timeout: 10_000 });
    const m = /version\s+(\S+)/.exec(stdout);
    return m?.[1] ?? stdout.trim();
  } catch (err) {
    throw new Error(
      `${BINARY} was not found or does not run (${(err as Error).message}). ` +
        'Run scripts/setup.sh (it builds livekit-server v1.13.5 into .tools/bin) and source scripts/env.sh.',
      { cause: err },
    );
  }
}

/** The YAML config; livekit-server's config is strict, so only keys it knows. */
function renderConfig(c: {
  port: number;
  tcpPort: number;
  udpPort: number;
  apiKey: string;
  apiSecret: string;
  redisAddress: string;
  webhookUrls: string[];
}): string {
  const lines = [
    `port: ${c.port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  tcp_port: ${c.tcpPort}`,
    `  udp_port: ${c.udpPort}`,
    '  node_ip: 127.0.0.1',
    '  use_external_ip: false',
    'keys:',
    `  ${JSON.stringify(c.apiKey)}: ${JSON.stringify(c.apiSecret)}`,
    'logging:',
    '  level: info',
  ];
  if (c.redisAddress) lines.push('redis:', `  address: ${JSON.stringify(c.redisAddress)}`);
  if (c.webhookUrls.length > 0) {
    lines.push('webhook:', `  api_key: ${JSON.stringify(c.apiKey)}`, '  urls:');
    for (const u of c.webhookUrls) lines.push(`    - ${JSON.stringify(u)}`);
  }
  return lines.join('\n') + '\n';
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${BINARY} exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${BINARY} not healthy after ${timeoutMs} ms (${last})`);
}

/**
 * livekit-server drains gracefully on the first SIGTERM (seconds) and exits at once on the second
 * ("force"); tests want the fast way. SIGKILL if it still lingers.
 */
async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const again = setTimeout(() => child.kill('SIGTERM'), 100);
  const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(again);
  clearTimeout(kill);
}

/** Starts livekit-server on free loopback ports with a generated key, secret and config file. */
export async function startLiveKit(opts: StartLiveKitOptions = {}): Promise<LiveKitEnv> {
  const version = await liveKitServerVersion();
  let ownRedis: RedisInstance | undefined;
  let redisAddress = '';
  if (opts.redis !== false) {
    if (opts.redisAddress) redisAddress = opts.redisAddress;
    else {
      ownRedis = await startRedis();
      redisAddress = ownRedis.address;
    }
  }
  const apiKey = opts.apiKey ?? `APIlkg${randomBytes(6).toString('hex')}`;
  const apiSecret = opts.apiSecret ?? randomBytes(32).toString('base64url');
  const [port, tcpPort, udpPort] = [await freePort(), await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), 'lkg-livekit-'));
  const configPath = join(dir, 'livekit.yaml');
  await writeFile(
    configPath,
    renderConfig({
      port,
      tcpPort,
      udpPort,
      apiKey,
      apiSecret,
      redisAddress,
      webhookUrls: opts.webhookUrls ?? [],
    }),
    { mode: 0o600 },
  );
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  let child: ChildProcess | undefined;

  const append = (d: Buffer): void => {
    log += d.toString();
    if (log.length > LOG_LIMIT) log = log.slice(log.length - LOG_LIMIT / 2);
  };

  async function launch(): Promise<void> {
    const c = spawn(BINARY, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', append);
    c.stderr?.on('data', append);
    const spawned = new Promise<void>((resolve, reject) => {
      c.once('spawn', resolve);
      c.once('error', reject);
    });
    try {
      await spawned;
      await waitForHealth(url, c, opts.startTimeoutMs ?? 20_000);
    } catch (err) {
      c.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n--- server log ---\n${log.slice(-4000)}`, {
        cause: err,
      });
    }
  }

  async function halt(): Promise<void> {
    if (child) await killServer(child);
  }

  try {
    await launch();
  } catch (err) {
    await ownRedis?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    redisAddress,
    version,
    log: () => log,
    async stop() {
      try {
        await halt();
      } finally {
        await ownRedis?.stop();
        await rm(dir, { recursive: true, force: true });
      }
    },
    async restart() {
      await halt();
      log += '\n--- restart ---\n';
      await launch();
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGKILL');
      await exited;
    },
    nodeId() {
      // The last start's id: a restarted process registers under a new one.
      const ids = [...log.matchAll(/"nodeID":\s*"(ND_[A-Za-z0-9]+)"/g)];
      const id = ids.at(-1)?.[1];
      if (!id) throw new Error(`${BINARY} has not logged its node id yet`);
      return id;
    },
  };
}
