/**
 * The package as a user installs it: `npm pack` (the prepack script builds dist/ and ships the
 * lockfile as npm-shrinkwrap.json), the tarball unpacked into a fresh global prefix with its
 * runtime dependencies only, and the installed `livekit-gitops` run against the test server.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { liveKitCliEnv } from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { repoRoot } from '../../harness/github-cli.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lkg-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// This Node first on PATH (the bin's `#!/usr/bin/env node`); npm reads only its cache, which the
// project's own `npm ci` filled (the tests stay on loopback).
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  NO_COLOR: '1',
};

describe('npm pack, installed into a clean prefix without dev dependencies', () => {
  it('runs --version, validate and plan against the server', { timeout: 300_000 }, async () => {
    await run('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], {
      cwd: repoRoot,
      env,
    });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^livekit-gitops-\d+\.\d+\.\d+\.tgz$/);
    const listing = (await run('tar', ['tzf', join(dir, tarball ?? '')])).stdout.split('\n');
    expect(listing).toContain('package/dist/cli/main.js');
    expect(listing).toContain('package/npm-shrinkwrap.json');
    expect(listing).toContain('package/assets/dashboard/app.js');
    expect(listing.filter((f) => /^package\/(src|test|bench)\//.test(f))).toEqual([]);

    // The global layout (<prefix>/lib/node_modules/<name>, <prefix>/bin/<name>), with the
    // package's own npm-shrinkwrap.json deciding every version.
    const prefix = join(dir, 'prefix');
    const pkg = join(prefix, 'lib', 'node_modules', 'livekit-gitops');
    mkdirSync(pkg, { recursive: true });
    mkdirSync(join(prefix, 'bin'));
    await run('tar', ['xzf', join(dir, tarball ?? ''), '-C', pkg, '--strip-components=1']);
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--loglevel=error'], {
      cwd: pkg,
      env,
    });
    for (const dev of ['vitest', 'typescript', 'eslint', '@livekit/rtc-node'])
      expect(existsSync(join(pkg, 'node_modules', dev))).toBe(false);
    const bin = join(prefix, 'bin', 'livekit-gitops');
    symlinkSync('../lib/node_modules/livekit-gitops/bin/livekit-gitops.js', bin);

    const cli = (args: string[], cwd: string) =>
      run('livekit-gitops', args, {
        cwd,
        env: { ...env, ...liveKitCliEnv(liveKitEnv()), PATH: `${join(prefix, 'bin')}:${env.PATH}` },
      });
    const version = (await cli(['--version'], dir)).stdout.trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);

    const specs = join(dir, 'specs');
    mkdirSync(join(specs, 'rooms'), { recursive: true });
    const name = `pack-${randomBytes(3).toString('hex')}`;
    await writeFile(
      join(specs, 'rooms', 'room.yaml'),
      `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: ${name}\nspec:\n  maxParticipants: 5\n`,
    );
    const validated = await cli(['validate', 'rooms'], specs);
    expect(validated.stdout).toMatch(/valid/i);
    const planned = await cli(['plan', 'rooms', '--format', 'json'], specs);
    const plan = JSON.parse(planned.stdout) as {
      tool_version: string;
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    expect(plan.tool_version).toBe(version);
    expect(plan.resource_changes.map((c) => [c.address, c.change.actions])).toEqual([
      [`room.${name}`, ['create']],
    ]);
  });
});
