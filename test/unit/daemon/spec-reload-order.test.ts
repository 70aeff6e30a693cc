/**
 * Reloads that cannot go stale: a reload whose read is held (a slow read of a half-finished
 * `git pull`) and released after a newer reload finished never puts its files in force, and the
 * interval re-reads the files when no watch event came.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDaemonMetrics } from '../../../src/adapters/metrics/registry.ts';
import { createStatusStore } from '../../../src/adapters/status/status-store.ts';
import { createScheduleTimers } from '../../../src/daemon/schedule-timers.ts';
import { createSpecSources } from '../../../src/daemon/spec-sources.ts';
import { createSpecStore } from '../../../src/daemon/spec-store.ts';
import { readSpecFiles, type ReadResult } from '../../../src/spec/read-files.ts';
import { makeWorkspace, roomYaml, writeFiles } from '../../harness/cli.ts';

/** readSpecFiles, except that the next read, once done, waits until `release()`. */
function holdableRead() {
  let hold: { reached: () => void; gate: Promise<void> } | undefined;
  let release: () => void = () => undefined;
  return {
    /** Arms a hold; resolves once a read has read the files and is waiting. */
    holdNext(): Promise<void> {
      return new Promise<void>((reached) => {
        hold = { reached, gate: new Promise<void>((r) => (release = r)) };
      });
    },
    release: () => release(),
    read: async (paths: readonly string[], cwd: string): Promise<ReadResult> => {
      const result = await readSpecFiles(paths, cwd);
      const h = hold;
      hold = undefined;
      if (h) {
        h.reached();
        await h.gate;
      }
      return result;
    },
  };
}

const names = (rooms: readonly { name: string }[]) => rooms.map((r) => r.name).sort();

describe('spec reloads: the latest started wins', () => {
  it('a reload delayed behind a newer one never puts its files in force', async () => {
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml('a'),
      'rooms/b.yaml': roomYaml('b'),
    });
    const reads = holdableRead();
    const store = createSpecStore({ paths: ['rooms'], cwd: ws, read: reads.read });
    await store.reload();

    // The slow reload reads the middle of a pull: b removed, c not there yet.
    await rm(join(ws, 'rooms/b.yaml'));
    const reached = reads.holdNext();
    const slow = store.reload();
    await reached;
    await writeFiles(ws, { 'rooms/b.yaml': roomYaml('b'), 'rooms/c.yaml': roomYaml('c') });
    const fresh = await store.reload();
    expect(names(fresh.rooms)).toEqual(['a', 'b', 'c']);

    reads.release();
    const late = await slow;
    expect(late).toBe(fresh);
    expect(names(store.current().rooms)).toEqual(['a', 'b', 'c']);
  });

  it('through the spec sources: the delayed reload enqueues nothing, the newer one its changes', async () => {
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml('a'),
      'rooms/b.yaml': roomYaml('b'),
    });
    const reads = holdableRead();
    const specs = createSpecStore({ paths: ['rooms'], cwd: ws, read: reads.read });
    await specs.reload();
    const enqueued: string[] = [];
    const sources = createSpecSources({
      specPaths: ['rooms'],
      cwd: ws,
      intervalMs: 3_600_000,
      watch: false,
      specs,
      timers: createScheduleTimers({ now: () => new Date(), onEdge: () => undefined }),
      status: createStatusStore({ dir: join(ws, 'status'), now: () => new Date().toISOString() }),
      metrics: createDaemonMetrics({ queueDepth: () => 0 }),
      log: pino({ level: 'silent' }),
      enqueue: (key) => enqueued.push(key),
    });

    await rm(join(ws, 'rooms/b.yaml'));
    const reached = reads.holdNext();
    const slow = sources.reload();
    await reached;
    await writeFiles(ws, { 'rooms/b.yaml': roomYaml('b'), 'rooms/c.yaml': roomYaml('c') });
    await sources.reload();
    expect(enqueued).toEqual(['room.c']);

    reads.release();
    await slow;
    // Not `room.b`: the half-pulled set (b gone) was never in force, so nothing deletes b.
    expect(enqueued).toEqual(['room.c']);
    expect(names(specs.current().rooms)).toEqual(['a', 'b', 'c']);
    await sources.close();
  });

  it('the interval resync re-reads the files when no watch event came', async () => {
    const ws = await makeWorkspace({ 'rooms/a.yaml': roomYaml('a') });
    const specs = createSpecStore({ paths: ['rooms'], cwd: ws });
    await specs.reload();
    const enqueued: string[] = [];
    let resynced: () => void = () => undefined;
    const resyncAfterB = new Promise<void>((r) => (resynced = r));
    const sources = createSpecSources({
      specPaths: ['rooms'],
      cwd: ws,
      intervalMs: 50,
      // No watcher: only the interval can notice the new file.
      watch: false,
      specs,
      timers: createScheduleTimers({ now: () => new Date(), onEdge: () => undefined }),
      status: createStatusStore({ dir: join(ws, 'status'), now: () => new Date().toISOString() }),
      metrics: createDaemonMetrics({ queueDepth: () => 0 }),
      log: pino({ level: 'silent' }),
      enqueue: (key) => {
        enqueued.push(key);
        if (key === '*' && enqueued.includes('room.b')) resynced();
      },
    });
    await sources.start(() => false);
    expect(enqueued).toEqual(['*']);

    await writeFiles(ws, { 'rooms/b.yaml': roomYaml('b') });
    await resyncAfterB;
    await sources.close();
    // Found by an interval's re-read, and enqueued before the resync that follows it.
    expect(enqueued.filter((k) => k !== '*')).toEqual(['room.b']);
    expect(enqueued.at(-1)).toBe('*');
  });
});
