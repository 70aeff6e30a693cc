import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { foldEvent, type RoomStatus } from '../../../src/adapters/status/room-status.ts';
import { createStatusStore } from '../../../src/adapters/status/status-store.ts';

const now = (): string => '2026-01-01T00:00:00.000Z';

describe('status store', () => {
  it('coalesces a burst of 1,000 events into one write per dirty file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkg-status-'));
    const store = createStatusStore({ dir, now });
    for (let i = 0; i < 1000; i++) {
      store.update(`room-${i % 3}`, (s) =>
        foldEvent(
          s,
          {
            id: `EV_${i}`,
            event: 'participant_joined',
            createdAtMs: 0,
            participant: {
              identity: `p${i}`,
              name: '',
              kind: 'standard',
              joinedAtMs: 1,
              isPublisher: false,
            },
          },
          now(),
        ),
      );
    }
    await store.flush();
    expect(store.writes()).toBe(3);
    expect((await readdir(dir)).sort()).toEqual(['room-0.yaml', 'room-1.yaml', 'room-2.yaml']);
    const s = parse(await readFile(join(dir, 'room-0.yaml'), 'utf8')) as RoomStatus;
    expect(s.participants).toHaveLength(334);
    expect(s.events).toHaveLength(20);
  });

  it('does not rewrite a status that did not change, and removes files of dropped rooms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkg-status-'));
    const store = createStatusStore({ dir, now });
    store.update('a', (s) => (s.declared = true));
    await store.flush();
    store.update('a', (s) => (s.declared = true));
    await store.flush();
    expect(store.writes()).toBe(1);
    store.remove('a');
    await store.flush();
    expect(await readdir(dir)).toEqual([]);
  });

  it('restores seen event ids and room statuses from a previous run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkg-status-'));
    const first = createStatusStore({ dir, now });
    first.updateDaemon((d) => (d.seenEventIds = ['EV_1', 'EV_2']));
    first.update('x', (s) => (s.sid = 'RM_x'));
    await first.close();
    const second = createStatusStore({ dir, now });
    await second.load();
    expect(second.daemon().seenEventIds).toEqual(['EV_1', 'EV_2']);
    expect(second.peek('x')?.sid).toBe('RM_x');
  });
});
