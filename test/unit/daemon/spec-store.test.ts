import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedRooms, createSpecStore } from '../../../src/daemon/spec-store.ts';
import { makeWorkspace, roomYaml, writeFiles } from '../../harness/cli.ts';

describe('spec store: last valid version per file', () => {
  it('keeps a broken file at its last valid version, and drops a deleted file', async () => {
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml('a', { metadata: 'v1' }),
      'rooms/b.yaml': roomYaml('b'),
    });
    const store = createSpecStore({ paths: ['rooms'], cwd: ws });
    const v1 = await store.reload();
    expect(v1.rooms.map((r) => r.name)).toEqual(['a', 'b']);
    expect(v1.errors).toEqual([]);

    await writeFiles(ws, {
      'rooms/a.yaml': 'kind: Room\nmetadata: [',
      'rooms/c.yaml': roomYaml('c'),
    });
    const broken = await store.reload();
    expect(broken.rooms.map((r) => `${r.name}:${r.metadata ?? ''}`).sort()).toEqual([
      'a:v1',
      'b:',
      'c:',
    ]);
    expect(broken.errors.map((e) => e.file)).toEqual(['rooms/a.yaml']);
    expect(changedRooms(v1, broken)).toEqual(['c']);

    await writeFiles(ws, { 'rooms/a.yaml': roomYaml('a', { metadata: 'v2' }) });
    await rm(join(ws, 'rooms/b.yaml'));
    const fixed = await store.reload();
    expect(fixed.errors).toEqual([]);
    expect(fixed.rooms.map((r) => `${r.name}:${r.metadata ?? ''}`).sort()).toEqual(['a:v2', 'c:']);
    expect(changedRooms(broken, fixed)).toEqual(['a', 'b']);
  });

  it('a file that never was valid contributes nothing; a cross-file duplicate keeps the previous set', async () => {
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml('a'),
      'rooms/bad.yaml': roomYaml('z', { maxParticipants: -1 }),
    });
    const store = createSpecStore({ paths: ['rooms'], cwd: ws });
    const first = await store.reload();
    expect(first.rooms.map((r) => r.name)).toEqual(['a']);
    expect(first.errors).toHaveLength(1);

    await writeFiles(ws, { 'rooms/dup.yaml': roomYaml('a', { metadata: 'dup' }) });
    const dup = await store.reload();
    expect(dup.specHash).toBe(first.specHash);
    expect(dup.errors.some((e) => e.file === 'rooms/dup.yaml' || e.file === 'rooms/a.yaml')).toBe(
      true,
    );
  });

  it('a spec directory that vanished (a checkout in progress) is not read as every file deleted', async () => {
    const ws = await makeWorkspace({ 'rooms/a.yaml': roomYaml('a') });
    const store = createSpecStore({ paths: ['rooms'], cwd: ws });
    await store.reload();
    await rm(join(ws, 'rooms'), { recursive: true });
    const gone = await store.reload();
    expect(gone.rooms.map((r) => r.name)).toEqual(['a']);
    expect(gone.errors.length).toBeGreaterThan(0);
  });
});

describe('spec store: a target’s composition', () => {
  const overlayDoc = (name: string, spec: Record<string, unknown>): string =>
    JSON.stringify({ kind: 'Room', metadata: { name }, spec });

  it('patches the base with the overlays, drops other targets’ documents, keeps a broken overlay’s last parse', async () => {
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml('a', { metadata: 'base', maxParticipants: 5 }),
      'rooms/s.yaml': JSON.stringify({
        apiVersion: 'livekit-gitops/v1',
        kind: 'Room',
        metadata: { name: 's', targets: ['staging'] },
        spec: {},
      }),
      'prod/a.yaml': overlayDoc('a', { metadata: 'prod' }),
      'prod/b.yaml': roomYaml('b'),
    });
    const store = createSpecStore({
      paths: ['rooms'],
      cwd: ws,
      target: 'prod',
      knownTargets: ['staging', 'prod'],
      overlays: ['prod'],
    });
    const v1 = await store.reload();
    expect(v1.errors).toEqual([]);
    expect(v1.rooms.map((r) => `${r.name}:${r.metadata ?? ''}:${r.maxParticipants ?? ''}`)).toEqual(
      ['a:prod:5', 'b::'],
    );

    await writeFiles(ws, { 'prod/a.yaml': 'kind: Room\nmetadata: [' });
    const broken = await store.reload();
    expect(broken.errors.map((e) => e.file)).toEqual(['prod/a.yaml']);
    expect(broken.rooms.find((r) => r.name === 'a')?.metadata).toBe('prod');

    // A patch that breaks the schema keeps the patched document's file at its last valid version.
    await writeFiles(ws, { 'prod/a.yaml': overlayDoc('a', { maxParticipants: -1 }) });
    const invalid = await store.reload();
    expect(invalid.errors.map((e) => e.file)).toEqual(['prod/a.yaml']);
    expect(invalid.rooms.find((r) => r.name === 'a')?.maxParticipants).toBe(5);

    await writeFiles(ws, { 'prod/a.yaml': overlayDoc('a', { metadata: 'prod-2' }) });
    const fixed = await store.reload();
    expect(fixed.errors).toEqual([]);
    expect(changedRooms(v1, fixed)).toEqual(['a']);
  });
});
