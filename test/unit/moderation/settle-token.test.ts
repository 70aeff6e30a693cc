import { describe, expect, it } from 'vitest';
import { settleModeration } from '../../../src/kinds/moderation-rule/settle.ts';
import { permissionsOfGrants } from '../../../src/kinds/role/grants.ts';
import { buildTokenRequest } from '../../../src/kinds/role/token-request.ts';
import type { DesiredRoom } from '../../../src/kinds/room/desired.ts';
import { aParticipant, aState } from './builders.ts';

describe('kinds/moderation-rule/settle settleModeration', () => {
  const session = (room: string, identity: string, sid: string) => ({
    room,
    identity,
    sid,
    at: 'T',
  });
  const state = aState({
    a: session('live', 'alice', 'PA_alice'),
    b: session('live', 'bob', 'PA_old'),
    c: session('gone', 'carol', 'PA_carol'),
    d: session('unlisted', 'dan', 'PA_dan'),
    e: session('other', 'eve', 'PA_eve'),
  });
  const participants = new Map([['live', [aParticipant('alice'), aParticipant('bob')]]]);

  it('forgets sessions that ended; keeps what the observation cannot tell', () => {
    const live = new Set(['live', 'unlisted', 'other']);

    const settled = settleModeration(state, live, participants);

    expect(Object.keys(settled.moderated ?? {})).toEqual(['a', 'd', 'e']);
  });

  it('touches only rooms in scope', () => {
    const settled = settleModeration(state, new Set(['live']), participants, new Set(['live']));

    expect(Object.keys(settled.moderated ?? {})).toEqual(['a', 'c', 'd', 'e']);
  });

  it('returns the same document when nothing ended', () => {
    const same = aState({ a: session('live', 'alice', 'PA_alice') });

    expect(settleModeration(same, new Set(['live']), participants)).toBe(same);
  });
});

describe('kinds/role token request and permissions', () => {
  const room: DesiredRoom = {
    name: 'town-hall',
    labels: {},
    maxParticipants: 7,
    emptyTimeout: 120,
    agents: [{ agentName: 'notes' }],
    lifecycle: { preventDestroy: false, onOccupied: 'wait' },
    source: { file: 'rooms/a.yaml', line: 1, col: 1 },
    specHash: 'h',
  };

  it.each([
    { name: 'the Role ttl', ttlMs: undefined, roleTtlMs: 7_200_000, ttl: 7200 },
    { name: '--ttl over the Role', ttlMs: 60_000, roleTtlMs: 7_200_000, ttl: 60 },
    { name: "LiveKit's 6h default", ttlMs: undefined, roleTtlMs: undefined, ttl: 21_600 },
  ])('uses $name', ({ ttlMs, roleTtlMs, ttl }) => {
    const r = buildTokenRequest({
      room: 'town-hall',
      identity: 'i',
      role: { grants: {} },
      ...(ttlMs !== undefined ? { ttlMs } : {}),
      ...(roleTtlMs !== undefined ? { roleTtlMs } : {}),
    });

    expect(r.ttlSeconds).toBe(ttl);
  });

  it('carries grants with roomJoin, attributes and the declared room as roomConfig', () => {
    const r = buildTokenRequest({
      room: 'town-hall',
      identity: 'i',
      name: 'N',
      role: { grants: { canPublish: false }, attributes: { role: 'viewer' } },
      declared: room,
    });

    expect(r).toEqual({
      identity: 'i',
      name: 'N',
      grants: { canPublish: false, roomJoin: true, room: 'town-hall' },
      ttlSeconds: 21_600,
      attributes: { role: 'viewer' },
      roomConfig: {
        name: 'town-hall',
        maxParticipants: 7,
        emptyTimeout: 120,
        agents: [{ agentName: 'notes' }],
      },
    });
  });

  it("maps grants to permissions with LiveKit's token defaults", () => {
    expect(permissionsOfGrants({ canPublishData: false, canUpdateOwnMetadata: true })).toEqual({
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canPublishSources: [],
      hidden: false,
      canUpdateMetadata: true,
      canSubscribeMetrics: false,
      canManageAgentSession: false,
    });
  });
});
