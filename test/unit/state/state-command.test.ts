import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/adapters/state/file-backend.ts';
import type { StateLock } from '../../../src/adapters/state/backend.ts';
import { runCli } from '../../harness/cli.ts';

describe('cli/commands/state', { timeout: 20_000 }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function project(): Promise<{ cwd: string; lock: StateLock }> {
    const cwd = await mkdtemp(join(tmpdir(), 'lkg-cli-state-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    const backend = createFileBackend({ dir: '.livekit-gitops', cwd });
    const lock = await backend.acquireLock({ operation: 'apply', who: 'ci@runner-7' });
    cleanup.push(() => lock.release());
    await lock.update((d) => {
      d.owned['room.all-hands'] = {
        address: 'room.all-hands',
        kind: 'Room',
        name: 'all-hands',
        serverId: 'RM_abc',
        since: '2026-01-02T03:04:05.000Z',
      };
      d.protections['room.all-hands'] = {
        address: 'room.all-hands',
        reason: 'preventDestroy',
        since: '2026-01-02T03:04:05.000Z',
      };
    });
    return { cwd, lock };
  }

  it('state show prints serial, owned objects, protections and the lock holder', async () => {
    const { cwd, lock } = await project();

    const text = await runCli(['state', 'show'], { cwd });
    const json = await runCli(['state', 'show', '--format', 'json'], { cwd });
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>;

    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Serial:  1');
    expect(text.stdout).toContain('  room.all-hands  RM_abc  since 2026-01-02T03:04:05.000Z');
    expect(text.stdout).toContain('  room.all-hands  preventDestroy');
    expect(text.stdout).toContain(`held by ci@runner-7 for apply since ${lock.info.created}`);
    expect(text.stdout).toContain(lock.id);
    expect(json.code).toBe(0);
    expect(parsed).toMatchObject({ serial: 1, lock: lock.info });
    expect(Object.keys(parsed['owned'] as object)).toEqual(['room.all-hands']);
  });

  it('state unlock refuses without --force and with a wrong id, and breaks the lock with both', async () => {
    const { cwd, lock } = await project();

    const noForce = await runCli(['state', 'unlock', lock.id], { cwd });
    const wrongId = await runCli(['state', 'unlock', 'nope', '--force'], { cwd });
    const stillHeld = await runCli(['state', 'show', '--format', 'json'], { cwd });
    const broken = await runCli(['state', 'unlock', lock.id, '--force'], { cwd });
    const after = await runCli(['state', 'show', '--format', 'json'], { cwd });

    expect(noForce.code).toBe(1);
    expect(noForce.stderr).toMatch(/without --force/);
    expect(wrongId.code).toBe(1);
    expect(wrongId.stderr).toMatch(/does not match the current lock/);
    expect((JSON.parse(stillHeld.stdout) as { lock: unknown }).lock).toEqual(lock.info);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toContain(`Broke lock ${lock.id}`);
    expect((JSON.parse(after.stdout) as { lock: unknown }).lock).toBeNull();
    // The old holder can no longer write.
    await expect(lock.update(() => undefined)).rejects.toThrow(/lost/);
  });

  it('state show with the redis backend and no address is a usage error', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'lkg-cli-state-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));

    const r = await runCli(['state', 'show', '--state-backend', 'redis'], { cwd });

    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--redis-address');
  });

  it('state show reads the backend from the config file; a flag beats it', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'lkg-cli-state-'));
    cleanup.push(() => rm(cwd, { recursive: true, force: true }));
    await writeFile(join(cwd, 'livekit-gitops.yaml'), 'stateDir: team-state\n');

    const fromConfig = await runCli(['state', 'show', '--format', 'json'], { cwd });
    const fromFlag = await runCli(['state', 'show', '--format', 'json', '--state-dir', 'other'], {
      cwd,
    });

    expect(fromConfig.code).toBe(0);
    expect((JSON.parse(fromConfig.stdout) as { backend: string }).backend).toContain('team-state');
    expect((JSON.parse(fromFlag.stdout) as { backend: string }).backend).toContain('other');
  });
});
