/**
 * The README's main job, end to end: scripts/demo.ts starts its own livekit-server, validates,
 * plans and applies rooms/, runs the daemon with webhooks and joins real participants. Run here for
 * a few seconds, so a change that breaks the Quickstart fails the suite.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { collect } from '../harness/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('scripts/demo.ts (the Quickstart main job)', () => {
  it('applies the example specs, runs the daemon and shows moderated rooms in status', async () => {
    const child = spawn(process.execPath, ['scripts/demo.ts'], {
      cwd: root,
      env: { ...process.env, LKG_DEMO_SECONDS: '3', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const run = await collect(child, 120_000);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Valid:');
    expect(run.stdout).toMatch(/Apply complete! \d+ created/);
    expect(run.stdout).not.toContain('FAILED');
    expect(run.stdout).toContain('No changes. LiveKit matches the specs.');
    // The banned participant was removed by the daemon's moderation: two people are left.
    expect(run.stdout).toMatch(/town-hall\s+RM_\w+\s+yes\s+2\s/);
    expect(run.stdout).toMatch(/lobby\s+RM_\w+\s+yes\s+2\s/);
    expect(run.stdout).toContain('(sensitive value)');
  });
});
