/**
 * Runs `livekit-gitops daemon` as a child process in a temp workspace, listening on a loopback
 * port the OS picks (read back from its "listening" log line), and gives tests bounded polls over
 * the server, the status files and the HTTP endpoints.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AccessToken } from 'livekit-server-sdk';
import { parse } from 'yaml';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import type { DaemonStatus } from '../../../src/adapters/status/daemon-status.ts';
import type { RoomStatus } from '../../../src/adapters/status/room-status.ts';
import { statusFileName } from '../../../src/adapters/status/room-status.ts';
import { spawnCli } from '../../harness/cli.ts';

export interface Server {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface DaemonChild {
  child: ChildProcess;
  /** The workspace it runs in (status files under `status/`). */
  cwd: string;
  port: number;
  base: string;
  /** Where /healthz, /readyz and /metrics are: `base`, or the `--metrics-listen` address. */
  probeBase: string;
  webhookUrl: string;
  logs(): string;
  /** SIGTERM, then waits for the exit code (bounded). */
  stop(timeoutMs?: number): Promise<number | null>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export async function startDaemonChild(
  ws: string,
  server: Server,
  args: readonly string[] = [],
  extraEnv: Record<string, string> = {},
  /** How long it may take to listen and answer /healthz (a loaded machine starts node slowly). */
  startTimeoutMs = 15_000,
): Promise<DaemonChild> {
  // Port 0, not a port probed free beforehand: between a probe and the daemon's bind (a node
  // startup later) a parallel test or an outgoing connection can take it (EADDRINUSE).
  const child = spawnCli(['daemon', '--listen', '127.0.0.1:0', '--log-format', 'json', ...args], {
    cwd: ws,
    env: {
      LIVEKIT_URL: server.url,
      LIVEKIT_API_KEY: server.apiKey,
      LIVEKIT_API_SECRET: server.apiSecret,
      ...extraEnv,
    },
  });
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let port = 0;
  let probePort = 0;
  const split = args.includes('--metrics-listen');
  await waitFor(
    'daemon listening',
    () => {
      if (child.exitCode !== null) throw new Error(`daemon exited early:\n${logs}`);
      port = listeningPort(logs, 'listening') ?? 0;
      probePort = split ? (listeningPort(logs, 'metrics listening') ?? 0) : port;
      return port > 0 && probePort > 0;
    },
    startTimeoutMs,
  );
  const base = `http://127.0.0.1:${port}`;
  const probeBase = `http://127.0.0.1:${probePort}`;
  await waitFor(
    `daemon on ${probePort} answers /healthz`,
    async () => {
      if (child.exitCode !== null) throw new Error(`daemon exited early:\n${logs}`);
      const res = await fetch(`${probeBase}/healthz`).catch(() => undefined);
      return res?.status === 200;
    },
    startTimeoutMs,
  );
  return {
    child,
    cwd: ws,
    port,
    base,
    probeBase,
    webhookUrl: `${base}/webhook`,
    logs: () => logs,
    exited,
    async stop(timeoutMs = 15_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The port of the daemon's `listening` (or `metrics listening`) JSON log line, once written. */
function listeningPort(logs: string, msg: string): number | undefined {
  for (const line of logs.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    const m = /"listen":"[^"]*:(\d+)"/.exec(line);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Polls `check` every 100 ms until it returns true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function serverPort(server: Server): LiveKitPort {
  return createLiveKitAdapter({ ...server, retry: false, requestTimeoutMs: 3_000 });
}

export async function readRoomStatus(ws: string, room: string): Promise<RoomStatus | undefined> {
  const text = await readFile(join(ws, 'status', statusFileName(room)), 'utf8').catch(
    () => undefined,
  );
  return text === undefined ? undefined : (parse(text) as RoomStatus);
}

export async function readDaemonStatus(ws: string): Promise<DaemonStatus | undefined> {
  const text = await readFile(join(ws, 'status', '_daemon.yaml'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (parse(text) as DaemonStatus);
}

export async function metricValue(base: string, line: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const hit = text.split('\n').find((l) => l.startsWith(line + ' '));
  return hit === undefined ? undefined : Number(hit.slice(line.length + 1));
}

/** A webhook body signed as LiveKit signs it (JWT with the body's sha256), with any secret. */
export async function signedWebhook(
  body: string,
  creds: { apiKey: string; apiSecret: string },
): Promise<string> {
  const at = new AccessToken(creds.apiKey, creds.apiSecret);
  at.sha256 = createHash('sha256').update(body).digest('base64');
  return at.toJwt();
}
