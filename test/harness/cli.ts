/**
 * Runs the real CLI (`node src/cli/main.ts`) as a child process, as a user or CI would, in a temp
 * workspace of spec files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProvidedLiveKit } from './global-setup.ts';

export const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Killed after this long (bounded tests); default 60 s. */
  timeoutMs?: number;
}

/** The env that points the CLI at the test's livekit-server. */
export function liveKitCliEnv(lk: ProvidedLiveKit): Record<string, string> {
  return { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
}

export function spawnCli(args: readonly string[], opts: CliOptions): ChildProcess {
  return spawn(process.execPath, [cliEntry, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  const child = spawnCli(args, opts);
  return collect(child, opts.timeoutMs ?? 60_000);
}

export function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`CLI did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A temp directory holding the given files (paths relative to it). */
export async function makeWorkspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-ws-'));
  await writeFiles(dir, files);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
}

/** A Room spec document. */
export function roomYaml(
  name: string,
  spec: Record<string, unknown> = {},
  labels?: Record<string, string>,
): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind: 'Room',
    metadata: labels ? { name, labels } : { name },
    spec,
  });
}
