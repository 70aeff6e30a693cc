import { describe, expect, it } from 'vitest';
import {
  foldEgress,
  foldRecordingEvent,
  MAX_ENDED,
  redactStreamUrl,
  syncObservedEgress,
} from '../../../src/adapters/status/recording-status.ts';
import { emptyRoomStatus } from '../../../src/adapters/status/room-status.ts';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import type { EgressStatus, LiveEgress } from '../../../src/core/live.ts';
import type { DesiredRecordingPolicy } from '../../../src/kinds/recording-policy/desired.ts';
import { egressPolicyResolver } from '../../../src/kinds/recording-policy/egress-owner.ts';
import {
  fingerprintOf,
  summaryOfPolicyRequest,
} from '../../../src/kinds/recording-policy/fingerprint.ts';
import { recordingWakeTimes } from '../../../src/kinds/recording-policy/wake.ts';

const NOW = '2026-09-01T12:00:00.000Z';
const KEY = 'streamkey-0123456789abcdef';

function egress(id: string, status: EgressStatus, over: Partial<LiveEgress> = {}): LiveEgress {
  return {
    egressId: id,
    roomName: 'webinar-a',
    roomId: 'RM_a',
    status,
    source: 'roomComposite',
    startedAtMs: Date.parse('2026-09-01T11:00:00Z'),
    endedAtMs: 0,
    updatedAtMs: 0,
    error: '',
    fileResults: [],
    streamResults: [
      { url: `rtmp://live.example/app/${KEY}?token=${KEY}`, status: 'active', error: '' },
    ],
    ...over,
  };
}

describe('recording status: egress results', () => {
  it('redacts stream keys: last path segment, query and user info', () => {
    expect(redactStreamUrl(`rtmp://live.example/app/${KEY}`)).toBe(
      'rtmp://live.example/app/(redacted)',
    );
    expect(redactStreamUrl(`srt://u:${KEY}@host:9000?streamid=${KEY}`)).toBe(
      'srt://host:9000/(redacted)',
    );
    expect(redactStreamUrl(`wss://ws.example/ingest/${KEY}#x`)).toBe(
      'wss://ws.example/ingest/(redacted)',
    );
    expect(redactStreamUrl(KEY)).toBe('(redacted)');
  });

  it('keeps running egress in `egresses` and `active`, moves ended ones with their file result', () => {
    const s = emptyRoomStatus('webinar-a', NOW);
    foldEgress(s, egress('EG_1', 'starting'), 'sales', []);
    foldEgress(s, egress('EG_1', 'active'), undefined, []);
    expect(s.recordings.active).toEqual(['EG_1']);
    expect(s.recordings.egresses?.[0]).toMatchObject({
      egressId: 'EG_1',
      policy: 'sales',
      status: 'active',
      startedAt: '2026-09-01T11:00:00.000Z',
      endedAt: null,
    });
    foldEgress(
      s,
      egress('EG_1', 'complete', {
        endedAtMs: Date.parse('2026-09-01T11:30:00Z'),
        fileResults: [
          { filename: 'a.mp4', location: 'https://rec.s3/a.mp4', size: 1200, durationMs: 2000 },
        ],
      }),
      undefined,
      [],
    );
    expect(s.recordings.active).toEqual([]);
    expect(s.recordings.egresses).toBeUndefined();
    expect(s.recordings.ended).toEqual([
      {
        egressId: 'EG_1',
        policy: 'sales',
        status: 'complete',
        startedAt: '2026-09-01T11:00:00.000Z',
        endedAt: '2026-09-01T11:30:00.000Z',
        files: [{ location: 'https://rec.s3/a.mp4', size: 1200, durationMs: 2000 }],
        streams: [{ url: 'rtmp://live.example/app/(redacted)', status: 'active' }],
      },
    ]);
    expect(JSON.stringify(s)).not.toContain(KEY);
    // A late ACTIVE update never brings an ended egress back.
    foldEgress(s, egress('EG_1', 'active'), undefined, []);
    expect(s.recordings.active).toEqual([]);
  });

  it('scrubs secret values from errors and keeps only the last ended ones', () => {
    const s = emptyRoomStatus('webinar-a', NOW);
    for (let i = 0; i < MAX_ENDED + 3; i++) {
      foldEgress(
        s,
        egress(`EG_${i}`, 'failed', { error: `upload with sk-SECRET failed ${i}` }),
        'p',
        ['sk-SECRET'],
      );
    }
    expect(s.recordings.ended).toHaveLength(MAX_ENDED);
    expect(s.recordings.ended?.[0]?.egressId).toBe('EG_3');
    expect(s.recordings.ended?.[0]?.error).toBe('upload with (sensitive value) failed 3');
  });

  it('a resync moves running egress the server no longer lists to ended and marks lost ones', () => {
    const s = emptyRoomStatus('webinar-a', NOW);
    foldEgress(s, egress('EG_gone', 'active'), 'p', []);
    syncObservedEgress(
      s,
      { active: [egress('EG_live', 'active'), egress('EG_lost', 'active')], ended: [] },
      new Set(['EG_lost']),
      (e) => (e.egressId === 'EG_live' ? 'p' : undefined),
      [],
    );
    expect(s.recordings.active).toEqual(['EG_live']);
    expect(s.recordings.egresses?.find((e) => e.egressId === 'EG_lost')?.lost).toBe(true);
    expect(s.recordings.ended?.map((e) => e.egressId)).toEqual(['EG_gone']);
  });

  it('reports recording events (lost marks the egress), last 20', () => {
    const s = emptyRoomStatus('webinar-a', NOW);
    foldEgress(s, egress('EG_1', 'active'), 'p', []);
    foldRecordingEvent(
      s,
      { kind: 'lost', policy: 'p', egressId: 'EG_1', message: 'gone' },
      NOW,
      [],
    );
    expect(s.recordings.active).toEqual([]);
    expect(s.recordings.events).toEqual([
      { time: NOW, kind: 'lost', policy: 'p', egressId: 'EG_1', message: 'gone' },
    ]);
    for (let i = 0; i < 25; i++) {
      foldRecordingEvent(s, { kind: 'failed', policy: 'p', message: `n${i}` }, NOW, []);
    }
    expect(s.recordings.events).toHaveLength(20);
  });
});

function policy(name: string, filepath: string): DesiredRecordingPolicy {
  return {
    name,
    rooms: { names: [], match: ['webinar-*'], labels: {} },
    when: { minParticipants: 2, minPublishers: 0 },
    request: { roomComposite: { layout: 'speaker' }, outputs: [{ file: { filepath } }] },
    baseDir: '.',
    specHash: name,
  };
}

describe('recording status: which policy, when to look again', () => {
  const a = policy('a', 'rec/a.mp4');
  const b = policy('b', 'rec/b.mp4');
  const summaryA = summaryOfPolicyRequest(a.request);

  it('names the owner from state first, then the pending start, then the request', () => {
    const state: StateDocument = {
      ...emptyState('l'),
      owned: {
        'recording.b.webinar-a': {
          address: 'recording.b.webinar-a',
          kind: 'RecordingPolicy',
          name: 'b',
          serverId: 'EG_owned',
          since: NOW,
        },
      },
    };
    const of = egressPolicyResolver(state, [a, b]);
    expect(of(egress('EG_owned', 'active'))).toBe('b');
    expect(of(egress('EG_x', 'active', { request: summaryA }))).toBe('a');
    expect(of(egress('EG_y', 'active'))).toBeUndefined();
    expect(
      of(egress('EG_z', 'active', { request: { ...summaryA, outputs: ['file:other'] } })),
    ).toBeUndefined();
    expect(fingerprintOf(summaryA)).toContain('rec/a.mp4');
  });

  it('wakes a room at its retry time and when a pending start runs out of grace', () => {
    const now = new Date(NOW);
    const state: StateDocument = {
      ...emptyState('l'),
      recordings: {
        'recording.a.r1': {
          policy: 'a',
          room: 'r1',
          failures: 1,
          retryAt: '2026-09-01T12:00:10.000Z',
        },
        'recording.a.r2': {
          policy: 'a',
          room: 'r2',
          failures: 9,
          retryAt: '2026-09-01T12:00:10.000Z',
        },
        'recording.a.r3': {
          policy: 'a',
          room: 'r3',
          failures: 1,
          retryAt: '2026-09-01T11:00:00.000Z',
        },
      },
      pending: {
        'recording.b.r4': {
          address: 'recording.b.r4',
          operation: 'start',
          startedAt: NOW,
          match: { room: 'r4', policy: 'b', fingerprint: 'f' },
        },
      },
    };
    const wakes = recordingWakeTimes(state, now, { pendingGraceMs: 60_000, maxRetries: 5 });
    expect([...wakes]).toEqual([
      ['r1', Date.parse('2026-09-01T12:00:10.000Z')],
      ['r4', Date.parse(NOW) + 60_000],
    ]);
    expect([
      ...recordingWakeTimes(state, now, { pendingGraceMs: 1, maxRetries: 5 }, new Set(['r4'])),
    ]).toEqual([['r4', Date.parse(NOW) + 1]]);
  });
});
