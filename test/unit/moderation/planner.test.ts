import { describe, expect, it } from 'vitest';
import type { LiveParticipant } from '../../../src/core/live.ts';
import type { ModerationCall } from '../../../src/kinds/moderation-rule/change.ts';
import type { ModerationRuleDef } from '../../../src/kinds/moderation-rule/decide.ts';
import {
  planModeration,
  selectedRooms,
  type ModerationPlanInput,
} from '../../../src/kinds/moderation-rule/planner.ts';
import type { RoleSpec } from '../../../src/kinds/role/schema.ts';
import { aParticipant, aRule, aState, aTrack, PUBLISHER } from './builders.ts';

const speaker: RoleSpec = {
  grants: { canPublish: true, canSubscribe: true, canPublishSources: ['microphone', 'camera'] },
};

function plan(
  rules: ModerationRuleDef[],
  participants: LiveParticipant[],
  o: Partial<ModerationPlanInput> & { state?: ReturnType<typeof aState> } = {},
) {
  const input: ModerationPlanInput = {
    rules,
    roles: o.roles ?? new Map([['speaker', speaker]]),
    declaredLabels: o.declaredLabels ?? new Map(),
    participants: o.participants ?? new Map([['town-hall', participants]]),
  };
  return planModeration(input, o.state ?? aState());
}

function callsOf(result: ReturnType<typeof plan>): Record<string, ModerationCall[]> {
  return Object.fromEntries(
    result.changes.map((c) => [c.address, (c.payload['calls'] ?? []) as ModerationCall[]]),
  );
}

const ban = aRule('stage', { rules: [{ participants: { identity: ['banned-*'] }, remove: true }] });
const listenOnly = aRule('stage', {
  rules: [
    {
      participants: { identity: ['*'] },
      permissions: { canPublish: false, canSubscribe: true },
      mute: ['microphone'],
    },
  ],
});

describe('kinds/moderation-rule/planner planModeration', () => {
  it.each([
    {
      name: 'a banned identity is removed, with the reason',
      rules: [
        aRule('stage', {
          rules: [{ participants: { identity: ['banned-*'] }, remove: true, reason: 'spam' }],
        }),
      ],
      participants: [aParticipant('banned-1'), aParticipant('alice')],
      calls: {
        'moderation.stage.town-hall.banned-1': [{ op: 'removeParticipant', reason: 'spam' }],
      },
    },
    {
      name: 'permissions: only the differing fields count, the whole permission is sent',
      rules: [listenOnly],
      participants: [aParticipant('alice')],
      calls: {
        'moderation.stage.town-hall.alice': [
          { op: 'updateParticipant', permission: { ...PUBLISHER, canPublish: false } },
        ],
      },
    },
    {
      name: 'a participant that already matches plans nothing',
      rules: [listenOnly],
      participants: [aParticipant('alice', { permission: { ...PUBLISHER, canPublish: false } })],
      calls: {},
    },
    {
      name: 'publish sources compare as a set',
      rules: [
        aRule('stage', {
          rules: [
            {
              participants: { identity: ['*'] },
              permissions: { canPublishSources: ['camera', 'microphone'] },
            },
          ],
        }),
      ],
      participants: [
        aParticipant('alice', {
          permission: { ...PUBLISHER, canPublishSources: ['microphone', 'camera'] },
        }),
      ],
      calls: {},
    },
    {
      name: 'mute: only unmuted media tracks of the named sources, muted first',
      rules: [listenOnly],
      participants: [
        aParticipant('alice', {
          permission: { ...PUBLISHER, canPublish: false },
          tracks: [
            aTrack({ sid: 'TR_a' }),
            aTrack({ sid: 'TR_b', muted: true }),
            aTrack({ sid: 'TR_c', type: 'video', source: 'camera' }),
          ],
        }),
      ],
      calls: {
        'moderation.stage.town-hall.alice': [
          { op: 'mutePublishedTrack', trackSid: 'TR_a', source: 'microphone' },
        ],
      },
    },
    {
      name: 'role: the Role grants with LiveKit token defaults, matched on attributes',
      rules: [
        aRule('stage', {
          rules: [{ participants: { attributes: { role: 'host' } }, role: 'speaker' }],
        }),
      ],
      participants: [
        aParticipant('host', { attributes: { role: 'host' }, permission: undefined }),
        aParticipant('guest', { attributes: { role: 'guest' }, permission: undefined }),
      ],
      calls: {
        'moderation.stage.town-hall.host': [
          {
            op: 'updateParticipant',
            permission: { ...PUBLISHER, canPublishSources: ['microphone', 'camera'] },
          },
        ],
      },
    },
    {
      name: 'the first matching rule decides (a banned host is removed, not promoted)',
      rules: [
        aRule('stage', {
          rules: [
            { participants: { identity: ['banned-*'] }, remove: true },
            { participants: { attributes: { role: 'host' } }, role: 'speaker' },
          ],
        }),
      ],
      participants: [aParticipant('banned-host', { attributes: { role: 'host' } })],
      calls: { 'moderation.stage.town-hall.banned-host': [{ op: 'removeParticipant' }] },
    },
    {
      name: 'agents, egress and ingress are left alone by `*` without their kind',
      rules: [{ ...listenOnly, name: 'r1' }],
      participants: [
        aParticipant('agent-1', { kind: 'agent' }),
        aParticipant('EG_1', { kind: 'egress' }),
        aParticipant('ingress-1', { kind: 'ingress' }),
        aParticipant('caller', { kind: 'sip' }),
      ],
      calls: {
        'moderation.r1.town-hall.caller': [
          { op: 'updateParticipant', permission: { ...PUBLISHER, canPublish: false } },
        ],
      },
    },
    {
      name: 'a matcher that names a kind moderates it',
      rules: [
        aRule('stage', {
          rules: [{ participants: { identity: ['*'], kind: ['agent'] }, remove: true }],
        }),
      ],
      participants: [aParticipant('agent-1', { kind: 'agent' }), aParticipant('alice')],
      calls: { 'moderation.stage.town-hall.agent-1': [{ op: 'removeParticipant' }] },
    },
  ])('$name', ({ rules, participants, calls }) => {
    const result = plan(rules, participants);

    expect(callsOf(result)).toEqual(calls);
    for (const c of result.changes) expect(c.action).toBe('moderate');
  });

  it('shows the rule, the changed fields and the current values in the change', () => {
    const result = plan([listenOnly], [aParticipant('alice', { tracks: [aTrack()] })]);

    expect(result.changes).toHaveLength(1);
    const change = result.changes[0];
    expect(change?.before).toEqual({
      sid: 'PA_alice',
      muted: ['microphone TR_mic: no'],
      canPublish: true,
    });
    expect(change?.after).toEqual({
      rule: 'stage.rules[0]',
      muted: ['microphone TR_mic: yes'],
      canPublish: false,
    });
    expect(change?.changedFields).toEqual(['muted', 'canPublish']);
    expect(change?.source).toEqual({ file: 'rooms/moderation.yaml', line: 1, col: 1 });
  });

  describe('limits.maxPublishers', () => {
    const limit2 = aRule('stage', { limits: { maxPublishers: 2 } });
    const pub = (id: string, at: number): LiveParticipant =>
      aParticipant(id, {
        joinedAtMs: at,
        isPublisher: true,
        tracks: [aTrack({ sid: `TR_${id}` })],
      });

    it('takes publishing from publishers beyond the first N by join time', () => {
      const result = plan([limit2], [pub('third', 30), pub('first', 10), pub('second', 20)]);

      expect(Object.keys(callsOf(result))).toEqual(['moderation.stage.town-hall.third']);
      expect(result.changes[0]?.actionReason).toBe('max_publishers_exceeded');
    });

    it('is converged once the extra publisher lost publishing and its tracks', () => {
      const limited = aParticipant('third', {
        joinedAtMs: 30,
        permission: { ...PUBLISHER, canPublish: false },
      });

      expect(plan([limit2], [pub('first', 10), pub('second', 20), limited]).changes).toEqual([]);
    });

    it('does not give publishing back through a rule while the slots are full', () => {
      const grant = aRule('stage', {
        limits: { maxPublishers: 2 },
        rules: [{ participants: { identity: ['*'] }, permissions: { canPublish: true } }],
      });
      const limited = aParticipant('third', {
        joinedAtMs: 30,
        permission: { ...PUBLISHER, canPublish: false },
      });

      expect(plan([grant], [pub('first', 10), pub('second', 20), limited]).changes).toEqual([]);
    });

    it('never counts or limits an egress participant', () => {
      const egress = aParticipant('EG_1', { kind: 'egress', joinedAtMs: 1, isPublisher: true });

      expect(plan([limit2], [egress, pub('first', 10), pub('second', 20)]).changes).toEqual([]);
    });
  });

  describe('enforce: onJoin', () => {
    const once = aRule('stage', { ...listenOnly.spec, enforce: 'onJoin' });
    const address = 'moderation.stage.town-hall.alice';

    it('acts on a session it has not acted on, and says so in the payload', () => {
      const result = plan([once], [aParticipant('alice')]);

      expect(result.changes[0]?.payload['enforce']).toBe('onJoin');
    });

    it('leaves alone a session it already acted on', () => {
      const state = aState({
        [address]: { room: 'town-hall', identity: 'alice', sid: 'PA_alice', at: 'T' },
      });

      expect(plan([once], [aParticipant('alice')], { state }).changes).toEqual([]);
    });

    it('acts again when the participant rejoins (new session)', () => {
      const state = aState({
        [address]: { room: 'town-hall', identity: 'alice', sid: 'PA_old', at: 'T' },
      });

      expect(plan([once], [aParticipant('alice')], { state }).changes).toHaveLength(1);
    });
  });

  it('lets the first ModerationRule by name decide for a participant two of them select', () => {
    const a = { ...ban, name: 'a-ban' };
    const b = aRule('b-open', {
      rules: [{ participants: { identity: ['*'] }, permissions: { canPublish: true } }],
    });
    const result = plan([b, a], [aParticipant('banned-1', { permission: undefined })]);

    expect(Object.keys(callsOf(result))).toEqual(['moderation.a-ban.town-hall.banned-1']);
  });

  it('plans nothing for rooms the rule does not select', () => {
    const participants = new Map([['lobby', [aParticipant('banned-1')]]]);

    expect(plan([ban], [], { participants }).changes).toEqual([]);
  });
});

describe('kinds/moderation-rule/planner selectedRooms', () => {
  it('selects by name, glob and the labels of declared rooms', () => {
    const rule = aRule('stage', {
      rooms: { names: ['town-hall'], match: ['webinar-*'], labels: { team: 'sales' } },
    });
    const labels = new Map([
      ['pitch', { team: 'sales' }],
      ['standup', { team: 'eng' }],
    ]);
    const live = ['town-hall', 'webinar-7', 'webinar', 'pitch', 'standup', 'lobby'];

    expect(selectedRooms([rule], labels, live)).toEqual(['town-hall', 'webinar-7', 'pitch']);
  });
});
