import type { Plan, ResourceChange } from '../../../src/core/plan.ts';

export const SECRET = 's3cr3t-"value"\\x';

export function aPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    formatVersion: '1.0',
    toolVersion: '0.1.0',
    createdAt: '2026-03-30T10:00:00.000Z',
    evaluatedAt: '2026-03-30T10:00:00.000Z',
    specHash: 'fnv1a64:00000000000000aa',
    liveHash: 'fnv1a64:00000000000000bb',
    stateHash: 'fnv1a64:00000000000000cc',
    changes: [],
    held: [],
    warnings: [],
    ...overrides,
  };
}

export const create: ResourceChange = {
  address: 'room.all-hands',
  kind: 'Room',
  name: 'all-hands',
  action: 'create',
  actionReason: '',
  before: null,
  after: { name: 'all-hands', emptyTimeout: 600, metadata: '{"topic":"q3"}' },
  changedFields: [],
  sensitivePaths: [],
  source: { file: 'rooms/all-hands.yaml', line: 3, col: 1 },
  payload: { name: 'all-hands', emptyTimeout: 600, metadata: '{"topic":"q3"}' },
};

export const update: ResourceChange = {
  address: 'room.lobby',
  kind: 'Room',
  name: 'lobby',
  action: 'update',
  actionReason: '',
  before: {
    name: 'lobby',
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 0,
    metadata: 'old',
  },
  after: { name: 'lobby', metadata: 'new' },
  changedFields: ['metadata'],
  sensitivePaths: [],
  payload: { name: 'lobby', metadata: 'new' },
};

export const replace: ResourceChange = {
  address: 'room.stage',
  kind: 'Room',
  name: 'stage',
  action: 'replace',
  actionReason: 'replace_because_cannot_update',
  before: {
    name: 'stage',
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 10,
    metadata: '',
  },
  after: { name: 'stage', maxParticipants: 20 },
  changedFields: ['maxParticipants'],
  sensitivePaths: [],
  payload: { name: 'stage', maxParticipants: 20 },
};

export const remove: ResourceChange = {
  address: 'room.old',
  kind: 'Room',
  name: 'old',
  action: 'delete',
  actionReason: 'delete_because_no_resource_config',
  before: {
    name: 'old',
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 0,
    metadata: '',
  },
  after: null,
  changedFields: [],
  sensitivePaths: [],
  payload: { name: 'old' },
};

/** A change from a later kind with a secret: a placeholder in `after`, the raw value leaked into metadata. */
export const withSecret: ResourceChange = {
  address: 'recording.webinars.webinar-1',
  kind: 'RecordingPolicy',
  name: 'webinars',
  action: 'start',
  actionReason: '',
  before: null,
  after: {
    room: 'webinar-1',
    output: { bucket: 'rec', secret: '{fromEnv: REC_SK}' },
    note: `leaked ${SECRET} here`,
  },
  changedFields: [],
  sensitivePaths: ['output.secret'],
  payload: { room: 'webinar-1', secretRef: { fromEnv: 'REC_SK' } },
};

export const fullPlan = aPlan({
  changes: [create, update, replace, remove],
  held: [
    {
      address: 'room.busy',
      kind: 'Room',
      name: 'busy',
      action: 'replace',
      reason: 'maxParticipants cannot change in place and the room has 2 participants',
    },
  ],
  warnings: ['room.stage: replacing disconnects 1 participant (lifecycle.onOccupied: force)'],
});
