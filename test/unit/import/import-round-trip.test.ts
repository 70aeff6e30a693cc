/**
 * Import round trip without a server: live objects → written spec files → the real loader and
 * validator → each kind's spec→desired mapping and planner. Adopted, the plan is empty; not
 * adopted, a drift shows as held, never as a create or update.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles, writeImportFiles } from '../../../src/cli/import-files.ts';
import { adoptedEntries, buildImport, type LiveSnapshot } from '../../../src/app/import-plan.ts';
import { bindKind, type BoundKind } from '../../../src/core/kind-planner.ts';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import type {
  LiveRoom,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
} from '../../../src/core/live.ts';
import { ingressKind } from '../../../src/kinds/ingress/kind.ts';
import { desiredFromSpec, bindPersistent } from '../../../src/kinds/sip-common/planner.ts';
import type { SpecBase } from '../../../src/kinds/sip-common/spec-base.ts';
import {
  ownedInboundTrunkIds,
  sipDispatchKind,
} from '../../../src/kinds/sip-dispatch-rule/kind.ts';
import { sipInboundKind } from '../../../src/kinds/sip-inbound-trunk/kind.ts';
import { sipOutboundKind } from '../../../src/kinds/sip-outbound-trunk/kind.ts';
import { desiredRoomFromSpec } from '../../../src/kinds/room/from-spec.ts';
import { createRoomPlanner } from '../../../src/kinds/room/planner.ts';
import { loadSpecs } from '../../../src/spec/load.ts';
import type { LoadedRoom, LoadedSpec } from '../../../src/spec/types.ts';
import { aLiveRoom } from '../room/builders.ts';
import { envSecrets } from '../../../src/spec/secrets.ts';

const API_SECRET = 'unit-api-secret';
const PASSWORD = 'pw-unit-4c1d';
const PIN = '4711';

function room(name: string, over: Partial<LiveRoom> = {}): LiveRoom {
  return aLiveRoom({ name, creationTimeMs: 1, ...over });
}

// Fields the adapter is gaining (headers, presets, ...) at their "unset" values; the casts keep
// the fixtures valid whether or not the live types have them yet.
const NEW_INGRESS_FIELDS = { audioPreset: '', videoPreset: '' };
const NEW_TRUNK_FIELDS = {
  headers: {},
  headersToAttributes: {},
  attributesToHeaders: {},
  includeHeaders: 'none',
  mediaEncryption: 'disable',
};

const live: LiveSnapshot = {
  rooms: [
    room('plain'),
    room('Town Hall (EU)', {
      emptyTimeout: 600,
      maxParticipants: 50,
      metadata: '{"b":1, "a":{"x":true}}',
    }),
    room('text-meta', { departureTimeout: 60, metadata: 'just words' }),
  ],
  ingress: [
    {
      ingressId: 'IN_1',
      name: 'encoder',
      inputType: 'rtmp',
      roomName: 'Town Hall (EU)',
      participantIdentity: 'obs',
      participantName: 'Stage',
      participantMetadata: '',
      enableTranscoding: true,
      url: 'rtmp://example/live',
      streamKey: 'stream-key-secret-99',
      enabled: true,
      ...NEW_INGRESS_FIELDS,
    },
  ],
  sipInbound: [
    {
      sipTrunkId: 'ST_in',
      name: 'pstn-in',
      metadata: '{"team":"voice","managedBy":"livekit-gitops"}',
      numbers: ['+15550002', '+15550001'],
      allowedAddresses: ['10.0.0.0/8'],
      allowedNumbers: [],
      authUsername: 'lk',
      authPassword: PASSWORD,
      krispEnabled: false,
      ...NEW_TRUNK_FIELDS,
      ringingTimeoutMs: 0,
      maxCallDurationMs: 0,
    } as LiveSipInboundTrunk,
  ],
  sipOutbound: [
    {
      sipTrunkId: 'ST_out',
      name: 'pstn-out',
      metadata: '',
      address: 'sip.example.com',
      transport: 'tls',
      numbers: ['+15550009'],
      authUsername: '',
      authPassword: '',
      ...NEW_TRUNK_FIELDS,
      destinationCountry: '',
      fromHost: '',
    } as LiveSipOutboundTrunk,
  ],
  sipDispatch: [
    {
      sipDispatchRuleId: 'SDR_1',
      name: 'to-hall',
      metadata: '',
      trunkIds: ['ST_in'],
      hidePhoneNumber: true,
      attributes: { source: 'phone' },
      rule: { type: 'direct', roomName: 'Town Hall (EU)', pin: PIN },
      inboundNumbers: [],
      numbers: [],
      roomPreset: '',
      krispEnabled: false,
      mediaEncryption: 'disable',
    },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lkg-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = { LIVEKIT_API_SECRET: API_SECRET };

async function importAndLoad(snapshot: LiveSnapshot) {
  const set = buildImport(snapshot, { env });
  const files = importFiles(set.docs, 'out', dir);
  await writeImportFiles(files, dir, false);
  const secretEnv = { ...env, SIP_PSTN_IN_PASSWORD: PASSWORD, SIP_TO_HALL_PIN: PIN };
  const loaded = await loadSpecs(['out'], { cwd: dir, env: secretEnv });
  return { set, files, loaded, secretEnv };
}

function bound(
  specs: readonly LoadedSpec[],
  state: StateDocument,
  secretEnv: Record<string, string>,
): BoundKind[] {
  const of = (k: string): SpecBase[] => specs.filter((s) => s.kind === k) as SpecBase[];
  const ctx = { inboundTrunkIds: ownedInboundTrunkIds(state.owned) };
  return [
    bindKind(
      createRoomPlanner(),
      specs.filter((s): s is LoadedRoom => s.kind === 'Room').map(desiredRoomFromSpec),
      live.rooms ?? [],
    ),
    bindPersistent(
      ingressKind,
      of('Ingress').map((s) => desiredFromSpec(ingressKind, s, ctx, envSecrets(secretEnv))),
      live.ingress ?? [],
      state,
    ),
    bindPersistent(
      sipInboundKind,
      of('SIPInboundTrunk').map((s) =>
        desiredFromSpec(sipInboundKind, s, ctx, envSecrets(secretEnv)),
      ),
      live.sipInbound ?? [],
      state,
    ),
    bindPersistent(
      sipOutboundKind,
      of('SIPOutboundTrunk').map((s) =>
        desiredFromSpec(sipOutboundKind, s, ctx, envSecrets(secretEnv)),
      ),
      live.sipOutbound ?? [],
      state,
    ),
    bindPersistent(
      sipDispatchKind,
      of('SIPDispatchRule').map((s) =>
        desiredFromSpec(sipDispatchKind, s, ctx, envSecrets(secretEnv)),
      ),
      live.sipDispatch ?? [],
      state,
    ),
  ];
}

function planAll(kinds: BoundKind[], state: StateDocument) {
  const results = kinds.map((k) => k.plan(state, { now: new Date(0), prune: false }));
  return {
    changes: results.flatMap((r) => r.changes.map((c) => `${c.action} ${c.address}`)),
    held: results.flatMap((r) => r.held.map((h) => `${h.action} ${h.address}`)),
  };
}

/** The specs with room text-meta's metadata changed. */
function driftRoomMetadata(specs: readonly LoadedSpec[]): LoadedSpec[] {
  return specs.map((s): LoadedSpec =>
    s.kind === 'Room' && s.name === 'text-meta' ? { ...s, spec: { metadata: 'changed' } } : s,
  );
}

function adoptedState(set: ReturnType<typeof buildImport>): StateDocument {
  const state = emptyState('lineage');
  for (const o of adoptedEntries(set.docs, new Date(0))) state.owned[o.address] = o;
  return state;
}

describe('import round trip', () => {
  it('writes specs the validator accepts, one file per kind, with no secret in them', async () => {
    const { files, loaded } = await importAndLoad(live);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.specs).toHaveLength(7);
    expect(files.map((f) => f.file).sort()).toEqual(
      [
        'out/ingress.yaml',
        'out/room.yaml',
        'out/sip-dispatch-rule.yaml',
        'out/sip-inbound-trunk.yaml',
        'out/sip-outbound-trunk.yaml',
      ].sort(),
    );
    for (const f of files) {
      const text = await readFile(join(dir, f.file), 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(PIN);
      expect(text).not.toContain('stream-key-secret-99');
      expect(text).not.toContain('managedBy');
    }
  });

  it('maps fields back: defaults omitted, JSON metadata as an object, secrets as fromEnv', async () => {
    const { loaded } = await importAndLoad(live);
    const spec = (kind: string, name: string) =>
      loaded.specs.find((s) => s.kind === kind && s.name === name)?.spec;
    expect(spec('Room', 'plain')).toEqual({});
    expect(spec('Room', 'Town Hall (EU)')).toEqual({
      emptyTimeout: 600,
      maxParticipants: 50,
      metadata: { b: 1, a: { x: true } },
    });
    expect(spec('Room', 'text-meta')).toEqual({ departureTimeout: 60, metadata: 'just words' });
    expect(spec('Ingress', 'encoder')).toEqual({
      inputType: 'rtmp',
      roomName: 'Town Hall (EU)',
      participantIdentity: 'obs',
      participantName: 'Stage',
      enableTranscoding: true,
    });
    expect(spec('SIPInboundTrunk', 'pstn-in')).toEqual({
      numbers: ['+15550002', '+15550001'],
      allowedAddresses: ['10.0.0.0/8'],
      authUsername: 'lk',
      authPassword: { fromEnv: 'SIP_PSTN_IN_PASSWORD' },
      metadata: '{"team":"voice"}',
    });
    expect(spec('SIPOutboundTrunk', 'pstn-out')).toEqual({
      address: 'sip.example.com',
      transport: 'tls',
      numbers: ['+15550009'],
    });
    expect(spec('SIPDispatchRule', 'to-hall')).toEqual({
      rule: { direct: { roomName: 'Town Hall (EU)', pin: { fromEnv: 'SIP_TO_HALL_PIN' } } },
      trunks: ['pstn-in'],
      hidePhoneNumber: true,
      attributes: { source: 'phone' },
    });
  });

  it('adopted, the imported specs plan nothing, secrets included', async () => {
    const { set, loaded, secretEnv } = await importAndLoad(live);
    const state = adoptedState(set);
    expect(planAll(bound(loaded.specs, state, secretEnv), state)).toEqual({
      changes: [],
      held: [],
    });
  });

  it('not adopted, a drifted field is held, never changed or created', async () => {
    const { loaded, secretEnv } = await importAndLoad(live);
    const state = emptyState('lineage');
    const drifted = driftRoomMetadata(loaded.specs);
    const plan = planAll(bound(drifted, state, secretEnv), state);
    expect(plan.changes).toEqual([]);
    expect(plan.held).toContain('update room.text-meta');
    // the trunk's password is unknown to an empty state: held too, not updated
    expect(plan.held).toContain('update sip-inbound.pstn-in');
  });

  it('adopted, a drifted field becomes an update the tool makes', async () => {
    const { set, loaded, secretEnv } = await importAndLoad(live);
    const state = adoptedState(set);
    const drifted = driftRoomMetadata(loaded.specs);
    expect(planAll(bound(drifted, state, secretEnv), state).changes).toEqual([
      'update room.text-meta',
    ]);
  });
});
