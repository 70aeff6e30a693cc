import { describe, expect, it } from 'vitest';
import { LiveKitError } from '../../../src/core/errors.ts';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import type { DesiredRecordingPolicy } from '../../../src/kinds/recording-policy/desired.ts';
import {
  createRecordingExecutor,
  recordRecordingFailure,
} from '../../../src/kinds/recording-policy/apply.ts';
import { DEFAULT_RECORDING_OPTIONS } from '../../../src/kinds/recording-policy/options.ts';
import { planRecordings } from '../../../src/kinds/recording-policy/planner.ts';
import { settleRecordingInventory } from '../../../src/kinds/recording-policy/settle.ts';
import { FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { envSecrets } from '../../../src/spec/secrets.ts';

const options = { ...DEFAULT_RECORDING_OPTIONS, probeMinAgeMs: 0 };
const policy: DesiredRecordingPolicy = {
  name: 'sales',
  rooms: { names: ['webinar-1'], match: [], labels: {} },
  when: { minParticipants: 2, minPublishers: 0 },
  request: {
    roomComposite: { layout: 'grid' },
    outputs: [
      { file: { filepath: 'rec/{room_name}.mp4', s3: { bucket: 'b', secret: { fromEnv: 'SK' } } } },
    ],
  },
  baseDir: '.',
  specHash: 'x',
};

async function reconcile(fake: FakeLiveKit, state: StateDocument, now: Date) {
  const active = await fake.listEgress({ active: true });
  const settled = settleRecordingInventory({
    state,
    observation: { active, ended: [], lost: [] },
    holding: new Set(),
    now,
    options,
  }).state;
  const plan = planRecordings(
    { policies: [policy], rooms: await fake.listRooms(), labelsOf: new Map(), active, options },
    settled,
    now,
  );
  return { settled, plan };
}

describe('recording apply, then plan', () => {
  it('starts once, then plans nothing; stops when they leave, then plans nothing', async () => {
    const fake = new FakeLiveKit();
    const run = createRecordingExecutor(envSecrets({ SK: 'secret-value-1234' }), options);
    fake.addParticipant('webinar-1', { identity: 'a' });
    fake.addParticipant('webinar-1', { identity: 'b' });
    let state = emptyState('l');
    const now = new Date();
    const first = await reconcile(fake, state, now);
    expect(first.plan.changes.map((c) => c.action)).toEqual(['start']);
    const change = first.plan.changes[0]!;
    const effect = await run(change, fake, () => now);
    state = { ...first.settled, owned: { ...first.settled.owned, [change.address]: effect.own! } };
    const started = fake.callsOf('startEgress')[0]?.args[0] as {
      outputs: { storage: { secret: string } }[];
    };
    expect(started.outputs[0]?.storage.secret).toBe('secret-value-1234');
    expect((await reconcile(fake, state, now)).plan.changes).toEqual([]);

    fake.leave('webinar-1', 'a');
    const leaving = await reconcile(fake, state, now);
    expect(leaving.plan.changes.map((c) => c.action)).toEqual(['stop']);
    const stopped = await run(leaving.plan.changes[0]!, fake, () => now);
    expect(stopped.disown).toBe(change.address);
    const owned = { ...state.owned };
    delete owned[change.address];
    state = { ...state, owned };
    expect((await reconcile(fake, state, now)).plan.changes).toEqual([]);
    expect(fake.callsOf('startEgress')).toHaveLength(1);
  });

  it('a start the server refused counts as a failure; one with no answer stays pending', () => {
    const base: StateDocument = {
      ...emptyState('l'),
      pending: {
        'recording.sales.webinar-1': {
          address: 'recording.sales.webinar-1',
          operation: 'start',
          startedAt: new Date().toISOString(),
          match: { policy: 'sales', room: 'webinar-1', fingerprint: 'f' },
        },
      },
    };
    const change = {
      address: 'recording.sales.webinar-1',
      kind: 'RecordingPolicy',
      name: 'sales',
      action: 'start' as const,
      actionReason: '',
      before: null,
      after: null,
      changedFields: [],
      sensitivePaths: [],
      payload: { room: 'webinar-1' },
    };
    const timedOut = structuredClone(base);
    recordRecordingFailure(
      timedOut,
      change,
      new LiveKitError('timeout', 'op', 'request timed out'),
      new Date(),
      options,
    );
    expect(timedOut.pending['recording.sales.webinar-1']).toBeDefined();
    const refused = structuredClone(base);
    const err = new LiveKitError('unavailable', 'op', 'no response from servers', { status: 503 });
    recordRecordingFailure(refused, change, err, new Date(), options);
    expect(refused.pending['recording.sales.webinar-1']).toBeUndefined();
    expect(refused.recordings?.['recording.sales.webinar-1']?.failures).toBe(1);
  });
});
