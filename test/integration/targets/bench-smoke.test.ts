/** The plan --all-targets benchmark in smoke mode: it runs end to end and prints its ratios. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect } from '../../harness/cli.ts';

const script = fileURLToPath(new URL('../../../bench/plan-all-targets.ts', import.meta.url));

describe('bench/plan-all-targets.ts --smoke', () => {
  it('plans each target alone and all at once, and prints both ratios', async () => {
    const child = spawn(process.execPath, [script, '--smoke'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const r = await collect(child, 170_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^plan --all-targets: 3 targets x 5 rooms \(a server each\), median of 1$/m,
    );
    for (const t of ['eu', 'us', 'ap'])
      expect(r.stdout).toMatch(new RegExp(`plan --target ${t}: \\d+ ms`));
    expect(r.stdout).toMatch(/ratio all-targets \/ slowest single target: \d+\.\d\dx/);
    expect(r.stdout).toMatch(/ratio all-targets \/ sum of single targets: \d+\.\d\dx/);
  }, 180_000);
});
