/**
 * The recording tests' daemon: a livekit-server with its own Redis (shared with the stand-in
 * worker) whose webhooks go through a relay to whichever daemon child runs, and the daemon as a
 * child process with the workspace's env (secret values, shortened recording knobs).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/adapter.ts';
import type { RoomStatus } from '../../../src/adapters/status/room-status.ts';
import { statusFileName } from '../../../src/adapters/status/room-status.ts';
import { RoomServiceClient } from 'livekit-server-sdk';
import { spawnCli } from '../../harness/cli.ts';
import { freePort } from '../../harness/free-port.ts';
import { startLiveKit } from '../../harness/livekit-server.ts';
import { addRelayTarget, removeRelayTarget } from '../../harness/webhook-client.ts';
import { startWebhookRelay, type WebhookRelay } from '../../harness/webhook-relay.ts';
import { poll, type Bed } from './setup.ts';

export interface RelayedBed extends Bed {
  relay: WebhookRelay;
}

export async function startRelayedBed(): Promise<RelayedBed> {
  const relay = await startWebhookRelay();
  const lk = await startLiveKit({ webhookUrls: [relay.webhookUrl] });
  return {
    lk,
    relay,
    port: createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret }),
    rooms: new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret),
    async stop() {
      await lk.stop();
      await relay.stop();
    },
  };
}

export interface RecordingDaemon {
  base: string;
  logs(): string;
  /** False once the process exited. */
  running(): boolean;
  metric(line: string): Promise<number | undefined>;
  /** SIGTERM and wait (bounded), then unhook from the relay. */
  stop(): Promise<void>;
  /** SIGKILL: no drain, no status flush, the lock left behind. */
  kill(): Promise<void>;
}

export async function startRecordingDaemon(
  bed: RelayedBed,
  cwd: string,
  env: Record<string, string>,
  args: readonly string[] = ['--interval', '1h'], // webhooks and timers drive it
  readyTimeoutMs = 30_000,
): Promise<RecordingDaemon> {
  const port = await freePort();
  const child = spawnCli(
    [
      'daemon',
      '--listen',
      `127.0.0.1:${port}`,
      '--log-format',
      'json',
      '--lock-ttl',
      '2s',
      ...args,
    ],
    { cwd, env },
  );
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const webhookUrl = `${base}/webhook`;
  // Hooked at once: events sent while it is not yet listening are lost, as from LiveKit itself.
  await addRelayTarget(bed.relay.url, webhookUrl);
  await poll(
    'daemon ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`daemon exited early:\n${logs}`);
      const res = await fetch(`${base}/readyz`).catch(() => undefined);
      return res?.status === 200;
    },
    readyTimeoutMs,
  );
  const unhook = () => removeRelayTarget(bed.relay.url, webhookUrl);
  return {
    base,
    logs: () => logs,
    running: () => child.exitCode === null && child.signalCode === null,
    async metric(line) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const hit = text.split('\n').find((l) => l.startsWith(line + ' '));
      return hit === undefined ? undefined : Number(hit.slice(line.length + 1));
    },
    async stop() {
      await unhook();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      await unhook();
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function roomStatus(cwd: string, room: string): Promise<RoomStatus | undefined> {
  const text = await readFile(join(cwd, 'status', statusFileName(room)), 'utf8').catch(
    () => undefined,
  );
  return text === undefined ? undefined : (parse(text) as RoomStatus);
}

/** Every status file's text, for secret checks. */
export async function statusTexts(cwd: string): Promise<string[]> {
  const dir = join(cwd, 'status');
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
}
