import { describe, expect, it } from 'vitest';
import { executeChange } from '../../../src/kinds/execute.ts';
import { moderationEventOf } from '../../../src/kinds/moderation-rule/events.ts';
import {
  planModeration,
  type ModerationPlanInput,
} from '../../../src/kinds/moderation-rule/planner.ts';
import { createFakeLiveKit, type FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { aRule, aState } from './builders.ts';
import { envSecrets } from '../../../src/spec/secrets.ts';

const now = (): Date => new Date('2026-05-01T10:00:00Z');

const rules = [
  aRule('stage', {
    rules: [
      { participants: { identity: ['banned-*'] }, remove: true, reason: 'spam' },
      {
        participants: { identity: ['*'] },
        permissions: { canPublish: false },
        mute: ['microphone'],
      },
    ],
  }),
];

async function planOn(fake: FakeLiveKit, state = aState()) {
  const input: ModerationPlanInput = {
    rules,
    roles: new Map(),
    declaredLabels: new Map(),
    participants: new Map([['town-hall', await fake.listParticipants('town-hall')]]),
  };
  return planModeration(input, state);
}

const NO_SECRETS = envSecrets({});

describe('kinds/moderation-rule/apply executeModerationChange', () => {
  it('makes the planned calls, after which the plan is empty', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'banned-1' });
    fake.addParticipant('town-hall', { identity: 'alice' });
    fake.addTrack('town-hall', 'alice', { source: 'microphone' });

    const first = await planOn(fake);
    for (const change of first.changes) await executeChange(change, fake, now, NO_SECRETS);

    expect(fake.callsOf('removeParticipant').map((c) => c.args)).toEqual([
      ['town-hall', 'banned-1'],
    ]);
    expect(fake.callsOf('mutePublishedTrack')).toHaveLength(1);
    expect(fake.callsOf('updateParticipant')).toHaveLength(1);
    expect((await planOn(fake)).changes).toEqual([]);
  });

  it('counts a participant who already left as done, with a note', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'banned-1' });
    const [change] = (await planOn(fake)).changes;
    fake.leave('town-hall', 'banned-1');

    const effect = await executeChange(change!, fake, now, NO_SECRETS);

    expect(effect.note).toBe('participant "banned-1" had already left');
  });

  it('records the session for enforce: onJoin', async () => {
    const fake = createFakeLiveKit();
    const p = fake.addParticipant('town-hall', { identity: 'alice' });
    const onJoin = { ...rules[0]!, spec: { ...rules[0]!.spec, enforce: 'onJoin' as const } };
    const input: ModerationPlanInput = {
      rules: [onJoin],
      roles: new Map(),
      declaredLabels: new Map(),
      participants: new Map([['town-hall', await fake.listParticipants('town-hall')]]),
    };
    const [change] = planModeration(input, aState()).changes;

    const effect = await executeChange(change!, fake, now, NO_SECRETS);

    expect(effect.moderated).toEqual({
      room: 'town-hall',
      identity: 'alice',
      sid: p.sid,
      at: '2026-05-01T10:00:00.000Z',
    });
  });

  it('rethrows other failures', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'alice' });
    const [change] = (await planOn(fake)).changes;
    fake.failNext('updateParticipant', 5, 'unauthenticated');

    await expect(executeChange(change!, fake, now, NO_SECRETS)).rejects.toThrow(
      'injected unauthenticated',
    );
  });
});

describe('kinds/moderation-rule/events moderationEventOf', () => {
  it('describes the action for the room status file', async () => {
    const fake = createFakeLiveKit();
    fake.addParticipant('town-hall', { identity: 'banned-1' });
    fake.addParticipant('town-hall', { identity: 'alice' });
    fake.addTrack('town-hall', 'alice', { source: 'microphone' });
    const changes = (await planOn(fake)).changes.sort((a, b) => a.address.localeCompare(b.address));

    const events = changes.map((c) =>
      moderationEventOf(
        c,
        c.address.endsWith('alice') ? { ok: true } : { ok: false, message: 'boom' },
        now(),
      ),
    );

    expect(events).toEqual([
      {
        time: '2026-05-01T10:00:00.000Z',
        type: 'moderation',
        room: 'town-hall',
        rule: 'stage.rules[1]',
        participant: 'alice',
        effect: 'mute microphone, permissions canPublish=false',
        result: 'ok',
      },
      {
        time: '2026-05-01T10:00:00.000Z',
        type: 'moderation',
        room: 'town-hall',
        rule: 'stage.rules[0]',
        participant: 'banned-1',
        effect: 'remove',
        result: 'failed',
        message: 'boom',
      },
    ]);
  });
});
