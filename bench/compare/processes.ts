/** Whole processes, timed from spawn to exit, and the statistics the comparison prints. */
import { spawn } from 'node:child_process';

export interface Command {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** Milliseconds from spawn to exit; throws with the output when the exit code is not `expect`. */
export async function timeProcess(c: Command, expect = 0, timeoutMs = 600_000): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(c.cmd, c.args, {
    cwd: c.cwd,
    env: { ...process.env, NO_COLOR: '1', ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== expect) {
    throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${code} (expected ${expect}):\n${out}`);
  }
  return ms;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number): string => `${ms.toFixed(0)} ms`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
