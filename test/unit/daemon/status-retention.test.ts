import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RoomStatus } from '../../../src/adapters/status/room-status.ts';
import { createStatusStore } from '../../../src/adapters/status/status-store.ts';
import { sweepStatus } from '../../../src/daemon/status-retention.ts';

const HOUR = 3_600_000;

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-retention-'));
  let t = Date.parse('2026-01-01T00:00:00.000Z');
  const store = createStatusStore({ dir, now: () => new Date(t).toISOString() });
  return {
    dir,
    store,
    at: () => new Date(t),
    advance: (ms: number) => (t += ms),
    file: async (room: string) =>
      parse(await readFile(join(dir, `${room}.yaml`), 'utf8')) as RoomStatus,
  };
}

describe('status retention', () => {
  it('drops a room neither declared nor live after the retention, reporting the time until then', async () => {
    const { dir, store, at, advance, file } = await setup();
    store.update('gone', (s) => (s.live = false));
    store.update('declared', (s) => (s.declared = true));
    store.update('live', (s) => (s.live = true));

    expect(sweepStatus(store, at(), 24 * HOUR)).toEqual({ dropped: [], retained: 1 });
    await store.flush();
    expect((await file('gone')).retainedUntil).toBe('2026-01-02T00:00:00.000Z');
    expect((await file('declared')).retainedUntil).toBeUndefined();

    advance(23 * HOUR);
    expect(sweepStatus(store, at(), 24 * HOUR).dropped).toEqual([]);
    advance(HOUR);
    expect(sweepStatus(store, at(), 24 * HOUR).dropped).toEqual(['gone']);
    await store.flush();
    expect(store.rooms().sort()).toEqual(['declared', 'live']);
    expect((await readdir(dir)).sort()).toEqual(['declared.yaml', 'live.yaml']);
  });

  it('counts again from a change, and forgets the countdown when the room is declared or live again', async () => {
    const { store, at, advance } = await setup();
    store.update('r', (s) => (s.live = false));
    sweepStatus(store, at(), 10_000);

    // An event 5 s later: the retention runs from then.
    advance(5_000);
    store.update('r', (s) => (s.sid = 'RM_again'));
    advance(6_000);
    expect(sweepStatus(store, at(), 10_000).dropped).toEqual([]);
    expect(store.peek('r')?.retainedUntil).toBe(new Date(at().getTime() + 10_000).toISOString());

    store.update('r', (s) => (s.live = true));
    sweepStatus(store, at(), 10_000);
    expect(store.peek('r')?.retainedUntil).toBeUndefined();
    advance(60_000);
    expect(sweepStatus(store, at(), 10_000).dropped).toEqual([]);
    expect(store.rooms()).toEqual(['r']);
  });
});
