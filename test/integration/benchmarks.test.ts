/**
 * Every benchmark in bench/ runs in its smoke mode (tiny N, `--smoke`), so a benchmark cannot
 * silently stop working. The figures of a smoke run mean nothing and are not checked; that each
 * benchmark runs to the end and prints its report is.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect } from '../harness/cli.ts';

const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url));
/** The entry points: bench/*.ts except the shared smoke helper (folders hold their parts). */
const BENCHMARKS = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'smoke.ts')
  .sort();

async function smoke(
  file: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`${benchDir}${file}`, '--smoke'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child, 170_000);
}

describe('benchmarks in smoke mode', () => {
  it('covers every benchmark file', () => {
    expect(BENCHMARKS).toEqual(expect.arrayContaining(['compare.ts', 'daemon-webhooks.ts']));
  });

  it.each(BENCHMARKS)('%s runs to the end', { timeout: 180_000 }, async (file) => {
    const r = await smoke(file);

    expect(r.code, `${file} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout.trim()).not.toBe('');
    if (file === 'compare.ts') {
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = JSON.parse(line?.slice(7) ?? '{}') as Record<string, { cliMs?: number }[]>;
      expect(result['apply']?.[0]?.cliMs).toBeGreaterThan(0);
      for (const section of ['plan', 'startup', 'webhooks'])
        expect(result[section]).toHaveLength(section === 'startup' ? 3 : 1);
    }
    if (file === 'daemon-soak.ts') {
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = JSON.parse(line?.slice(7) ?? '{}') as {
        rooms?: number;
        bounded?: { endPeakRssMiB: number; maxStatusRooms: number };
        baseline?: { endPeakRssMiB: number };
      };
      expect(result.rooms).toBeGreaterThan(0);
      expect(result.bounded?.endPeakRssMiB).toBeGreaterThan(0);
      expect(result.bounded?.maxStatusRooms).toBeGreaterThan(0);
      expect(result.baseline?.endPeakRssMiB).toBeGreaterThan(0);
    }
    if (file === 'git-source.ts') {
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = JSON.parse(line?.slice(7) ?? '{}') as {
        latency?: { pushes: number; gitWebhook: { p50Ms: number } };
        memory?: { specs: number; git: { rssMiB: number } };
      };
      expect(result.latency?.pushes).toBe(3);
      expect(result.latency?.gitWebhook.p50Ms).toBeGreaterThan(0);
      expect(result.memory?.git.rssMiB).toBeGreaterThan(0);
    }
  });
});
