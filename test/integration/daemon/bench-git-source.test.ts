import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect, liveKitCliEnv } from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';

const bench = fileURLToPath(new URL('../../../bench/git-source.ts', import.meta.url));

describe('bench/git-source.ts --smoke', () => {
  it('measures push -> room through the webhook and the daemon memory against the local-files baseline', async () => {
    const child = spawn(process.execPath, [bench, '--smoke'], {
      env: { ...process.env, ...liveKitCliEnv(liveKitEnv()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = await collect(child, 240_000);
    expect(out.code, out.stderr).toBe(0);
    const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const result = JSON.parse(line?.slice('RESULT '.length) ?? 'null') as {
      latency: { pushes: number; gitWebhook: { p50Ms: number; p95Ms: number } };
      latencyRatioP50: number;
      memory: { specs: number; git: { rssMiB: number }; files: { rssMiB: number } };
      rssRatio: number;
    };
    expect(result.latency.pushes).toBe(3);
    expect(result.latency.gitWebhook.p50Ms).toBeGreaterThan(0);
    expect(result.latency.gitWebhook.p95Ms).toBeGreaterThanOrEqual(result.latency.gitWebhook.p50Ms);
    expect(result.latencyRatioP50).toBeGreaterThan(0);
    expect(result.memory.specs).toBe(50);
    expect(result.memory.git.rssMiB).toBeGreaterThan(0);
    expect(result.rssRatio).toBeGreaterThan(0);
  }, 300_000);
});
