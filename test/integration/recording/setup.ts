/**
 * Recording test bed: a livekit-server with its own Redis (so no other test's egress worker can
 * claim our starts, and "no worker" really means none), spec workspaces, and the CLI.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/adapter.ts';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import type { StateDocument } from '../../../src/core/inventory.ts';
import type { LiveEgress } from '../../../src/core/live.ts';
import { makeWorkspace, runCli, type CliResult } from '../../harness/cli.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import { joinParticipant } from '../../harness/participants.ts';

export const SECRET_SK = `sk-${randomBytes(12).toString('hex')}`;
export const SECRET_STREAM = `rtmp://live.example/app/streamkey-${randomBytes(8).toString('hex')}`;

export interface Bed {
  lk: LiveKitEnv;
  port: LiveKitPort;
  rooms: RoomServiceClient;
  stop(): Promise<void>;
}

export async function startBed(): Promise<Bed> {
  const lk = await startLiveKit({});
  return {
    lk,
    port: createLiveKitAdapter({ url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret }),
    rooms: new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret),
    stop: () => lk.stop(),
  };
}

export function policyYaml(
  name: string,
  match: string[],
  over: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'RecordingPolicy',
    metadata: { name },
    spec: {
      rooms: { match },
      when: { minParticipants: 2 },
      roomComposite: { layout: 'speaker' },
      outputs: [
        {
          file: {
            filepath: `recordings/${name}/{room_name}/{time}.mp4`,
            s3: {
              bucket: 'rec',
              region: 'eu-west-1',
              accessKey: { fromEnv: 'REC_AK' },
              secret: { fromEnv: 'REC_SK' },
            },
          },
        },
        { stream: { protocol: 'rtmp', urls: [{ fromEnv: 'YT_RTMP_URL' }] } },
      ],
      ...over,
    },
  });
}

export interface Workspace {
  dir: string;
  env: Record<string, string>;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  write(file: string, text: string): Promise<void>;
  remove(file: string): Promise<void>;
  stateText(): Promise<string>;
  state(): Promise<StateDocument>;
  cleanup(): Promise<void>;
}

export async function workspace(
  bed: Bed,
  files: Record<string, string>,
  knobs: Record<string, string> = {},
): Promise<Workspace> {
  const dir = await makeWorkspace(files);
  const env = {
    LIVEKIT_URL: bed.lk.url,
    LIVEKIT_API_KEY: bed.lk.apiKey,
    LIVEKIT_API_SECRET: bed.lk.apiSecret,
    REC_SK: SECRET_SK,
    REC_AK: 'AKIAEXAMPLEKEY',
    YT_RTMP_URL: SECRET_STREAM,
    LIVEKIT_GITOPS_RECORDING_RETRY_BASE_MS: '1000',
    ...knobs,
  };
  return {
    dir,
    env,
    cli: (args, extraEnv = {}) =>
      runCli(args, { cwd: dir, env: { ...env, ...extraEnv }, timeoutMs: 90_000 }),
    write: (file, text) => writeFile(join(dir, file), text),
    remove: (file) => rm(join(dir, file)),
    stateText: () => readFile(join(dir, '.livekit-gitops', 'state.json'), 'utf8'),
    state: async () =>
      JSON.parse(
        await readFile(join(dir, '.livekit-gitops', 'state.json'), 'utf8'),
      ) as StateDocument,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function roomName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function activeIn(port: LiveKitPort, room: string): Promise<LiveEgress[]> {
  return (await port.listEgress({ roomName: room, active: true })).filter(
    (e) => e.status === 'starting' || e.status === 'active',
  );
}

export async function poll<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms${last instanceof Error ? ` (${last.message})` : ''}`,
  );
}

/** Real participants (rtc-node) joining a room of the bed's server, one after another. */
export async function joinAll(
  bed: Bed,
  room: string,
  identities: readonly string[],
): Promise<void> {
  const server = { wsUrl: bed.lk.wsUrl, apiKey: bed.lk.apiKey, apiSecret: bed.lk.apiSecret };
  for (const identity of identities) await joinParticipant(server, { room, identity });
}
