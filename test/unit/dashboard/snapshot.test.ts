import { describe, expect, it } from 'vitest';
import { emptyDaemonStatus } from '../../../src/adapters/status/daemon-status.ts';
import { emptyRoomStatus, foldEvent } from '../../../src/adapters/status/room-status.ts';
import { buildDashboardSnapshot } from '../../../src/daemon/dashboard/snapshot.ts';

const T = '2026-03-30T10:00:00.000Z';

describe('dashboard snapshot', () => {
  it('lists declared live rooms first, events newest first, and scrubs secret values', () => {
    const a = emptyRoomStatus('zeta', T);
    a.declared = true;
    a.live = true;
    a.lastReconcile = { time: T, result: 'error', actions: [], message: 'failed: key hunter2' };
    const b = emptyRoomStatus('alpha', T);
    foldEvent(b, { id: 'E1', event: 'room_started', createdAtMs: Date.parse(T) }, T);
    foldEvent(b, { id: 'E2', event: 'room_finished', createdAtMs: Date.parse(T) }, T);
    const daemon = emptyDaemonStatus(42, T);
    daemon.seenEventIds = ['E1', 'E2'];
    const snap = buildDashboardSnapshot({
      rooms: [b, a],
      daemon,
      leader: { id: 'LEASE-ID', who: 'daemon@host-a', operation: 'daemon', created: T },
      lock: { id: 'LOCK-ID', who: 'ci@runner', operation: 'apply', created: T },
      now: T,
      toolVersion: '1.2.3',
      secretValues: ['hunter2'],
    });
    expect(snap.rooms.map((r) => r.room)).toEqual(['zeta', 'alpha']);
    expect(snap.rooms[0]?.lastReconcile?.message).not.toContain('hunter2');
    expect(snap.events.map((e) => [e.room, e.event])).toEqual([
      ['alpha', 'room_finished'],
      ['alpha', 'room_started'],
    ]);
    // The leader and the state lock's holder apart: a CI apply writes while the daemon leads.
    expect(snap.leader).toEqual({ who: 'daemon@host-a', operation: 'daemon', created: T });
    expect(snap.lock).toEqual({ who: 'ci@runner', operation: 'apply', created: T });
    expect(JSON.stringify(snap)).not.toMatch(/LOCK-ID|LEASE-ID|seenEventIds|hunter2/);
    expect(snap.roomCount).toBe(2);
  });

  it('carries the git source block and each room spec commit, scrubbed', () => {
    const room = emptyRoomStatus('town-hall', T);
    room.specCommit = {
      sha: 'a'.repeat(40),
      author: 'Ada',
      time: T,
      subject: 'Add',
      specHash: 'h',
    };
    const daemon = emptyDaemonStatus(42, T);
    const commit = { sha: 'b'.repeat(40), author: 'Ada', time: T, subject: 'Bump' };
    daemon.git = {
      url: 'https://git.example.com/org/rooms.git',
      ref: 'refs/heads/main',
      path: 'rooms',
      fetched: { ...commit, at: T },
      applied: { ...commit, since: T },
      rejected: null,
      lastFetch: { time: T, result: 'error', message: 'fatal: token tok-secret refused' },
    };
    const snap = buildDashboardSnapshot({
      rooms: [room],
      daemon,
      leader: undefined,
      lock: undefined,
      now: T,
      toolVersion: '1.2.3',
      secretValues: ['tok-secret'],
    });
    expect(snap.daemon.git?.applied?.sha).toBe(commit.sha);
    expect(snap.rooms[0]?.specCommit?.sha).toBe('a'.repeat(40));
    expect(JSON.stringify(snap)).not.toContain('tok-secret');
  });
});
