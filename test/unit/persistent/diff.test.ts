import { describe, expect, it } from 'vitest';
import type { LiveIngress, LiveSipInboundTrunk } from '../../../src/core/live.ts';
import { ingressKind } from '../../../src/kinds/ingress/kind.ts';
import { diffPersistent } from '../../../src/kinds/sip-common/diff.ts';
import type { DesiredPersistent } from '../../../src/kinds/sip-common/kind.ts';
import { desiredFromSpec } from '../../../src/kinds/sip-common/planner.ts';
import type { SpecBase } from '../../../src/kinds/sip-common/spec-base.ts';
import { sipInboundKind } from '../../../src/kinds/sip-inbound-trunk/kind.ts';
import { envSecrets } from '../../../src/spec/secrets.ts';

const ctx = { owned: true, protected: false, now: new Date(0), prune: false };
const env = { PW: 'secret-pw', LIVEKIT_API_SECRET: 'k' };
const noTrunks = { inboundTrunkIds: new Map<string, string>() };
const source = { file: 'x.yaml', absolute: '/specs/x.yaml', line: 1, col: 1 };

function desiredIngress(spec: Record<string, unknown>): DesiredPersistent {
  const loaded = { kind: 'Ingress', name: 'enc', spec, source } as unknown as SpecBase;
  return desiredFromSpec(ingressKind, loaded, noTrunks, envSecrets(env));
}

function desiredTrunk(spec: Record<string, unknown>): DesiredPersistent {
  const loaded = { kind: 'SIPInboundTrunk', name: 'in', spec, source } as unknown as SpecBase;
  return desiredFromSpec(sipInboundKind, loaded, noTrunks, envSecrets(env));
}

const liveIngress: LiveIngress = {
  ingressId: 'IN_1',
  name: 'enc',
  inputType: 'rtmp',
  roomName: 'hall',
  participantIdentity: 'cam',
  participantName: 'Cam',
  participantMetadata: '',
  enableTranscoding: true,
  url: 'rtmp://host/x',
  streamKey: 'SK_secret',
  enabled: true,
  audioPreset: '',
  videoPreset: 'H264_720P_30FPS_1_LAYER',
};

const base = { inputType: 'rtmp', roomName: 'hall', participantIdentity: 'cam' };

describe('Ingress diff', () => {
  const cases: {
    title: string;
    spec: Record<string, unknown> | undefined;
    live: LiveIngress | undefined;
    owned?: boolean;
    prune?: boolean;
    expected: string;
  }[] = [
    { title: 'declared, absent: create', spec: base, live: undefined, expected: 'create' },
    { title: 'equal on written fields: nothing', spec: base, live: liveIngress, expected: 'none' },
    {
      title: 'unwritten live fields never diff',
      spec: { ...base },
      live: { ...liveIngress, participantName: 'Other', enableTranscoding: false },
      expected: 'none',
    },
    {
      title: 'a written field differs: update in place',
      spec: { ...base, participantName: 'New' },
      live: liveIngress,
      expected: 'update participantName',
    },
    {
      title: 'the same video preset: nothing',
      spec: { ...base, video: { preset: 'H264_720P_30FPS_1_LAYER' } },
      live: liveIngress,
      expected: 'none',
    },
    {
      title: 'another video preset: update in place',
      spec: { ...base, video: { preset: 'H264_1080P_30FPS_1_LAYER' } },
      live: liveIngress,
      expected: 'update video',
    },
    {
      title: 'an audio preset where the live ingress has none: update',
      spec: { ...base, audio: { preset: 'OPUS_MONO_64KBS' } },
      live: liveIngress,
      expected: 'update audio',
    },
    {
      title: 'input type differs: replace',
      spec: { ...base, inputType: 'whip' },
      live: liveIngress,
      expected: 'replace inputType',
    },
    {
      title: 'not owned and different: held',
      spec: { ...base, roomName: 'elsewhere' },
      live: liveIngress,
      owned: false,
      expected: 'held update',
    },
    {
      title: 'removed, owned, no prune: held delete',
      spec: undefined,
      live: liveIngress,
      expected: 'held delete',
    },
    {
      title: 'removed, owned, prune: delete',
      spec: undefined,
      live: liveIngress,
      prune: true,
      expected: 'delete',
    },
    {
      title: 'removed, not owned, prune: nothing',
      spec: undefined,
      live: liveIngress,
      owned: false,
      prune: true,
      expected: 'none',
    },
  ];
  it.each(cases)('$title', ({ spec, live, owned, prune, expected }) => {
    const out = diffPersistent(ingressKind, spec ? desiredIngress(spec) : undefined, live, {
      ...ctx,
      owned: owned ?? true,
      prune: prune ?? false,
      recordedSecretHash: undefined,
    });
    const got = out.change
      ? [out.change.action, ...out.change.changedFields].join(' ')
      : out.held
        ? `held ${out.held.action}`
        : 'none';
    expect(got).toBe(expected);
  });

  it('shows the server URL but never the stream key', () => {
    const out = diffPersistent(
      ingressKind,
      desiredIngress({ ...base, participantName: 'N' }),
      liveIngress,
      {
        ...ctx,
        recordedSecretHash: undefined,
      },
    );
    expect(out.change?.before).toMatchObject({ id: 'IN_1', url: 'rtmp://host/x' });
    expect(JSON.stringify(out.change)).not.toContain('SK_secret');
  });

  it('sends the declared presets and warns about nothing', () => {
    const d = desiredIngress({ ...base, audio: { preset: 'OPUS_MONO_64KBS' }, video: {} });
    expect(d.unsupported).toEqual([]);
    const out = diffPersistent(ingressKind, d, liveIngress, {
      ...ctx,
      recordedSecretHash: undefined,
    });
    expect(out.warning).toBeUndefined();
    // `video: {}` names no preset: compared as LiveKit's default, which differs from the live preset.
    expect(out.change?.changedFields).toEqual(['audio', 'video']);
  });
});

describe('SIPInboundTrunk diff', () => {
  const live: LiveSipInboundTrunk = {
    sipTrunkId: 'ST_1',
    name: 'in',
    metadata: '{"managedBy":"livekit-gitops","team":"a"}',
    numbers: ['+2', '+1'],
    allowedAddresses: [],
    allowedNumbers: [],
    authUsername: 'lk',
    authPassword: 'secret-pw',
    krispEnabled: false,
    headers: { 'X-A': '1' },
    headersToAttributes: {},
    attributesToHeaders: {},
    includeHeaders: 'x-headers',
    mediaEncryption: 'allow',
    ringingTimeoutMs: 30_000,
    maxCallDurationMs: 7_200_000,
  };
  const spec = { numbers: ['+1', '+2'], authUsername: 'lk', authPassword: { fromEnv: 'PW' } };

  it('compares number lists sorted and metadata without the marker', () => {
    const d = desiredTrunk({ ...spec, metadata: '{ "team": "a" }' });
    const out = diffPersistent(sipInboundKind, d, live, {
      ...ctx,
      recordedSecretHash: d.secretHash,
    });
    expect(out).toEqual({});
  });

  it('compares durations in milliseconds and header maps by content', () => {
    const d = desiredTrunk({
      ...spec,
      ringingTimeout: '30s',
      maxCallDuration: '120m',
      headers: { 'X-A': '1' },
      includeHeaders: 'x-headers',
      mediaEncryption: 'allow',
    });
    expect(d.unsupported).toEqual([]);
    const out = diffPersistent(sipInboundKind, d, live, {
      ...ctx,
      recordedSecretHash: d.secretHash,
    });
    expect(out).toEqual({});
  });

  it('a changed header, timeout or encryption is an update in place naming the fields', () => {
    const d = desiredTrunk({
      ...spec,
      ringingTimeout: '45s',
      headers: { 'X-A': '2' },
      mediaEncryption: 'require',
    });
    const out = diffPersistent(sipInboundKind, d, live, {
      ...ctx,
      recordedSecretHash: d.secretHash,
    });
    expect(out.change?.action).toBe('update');
    expect(out.change?.changedFields).toEqual(['headers', 'mediaEncryption', 'ringingTimeout']);
  });

  it('a password whose hash differs from the recorded one is an update, shown as sensitive', () => {
    const d = desiredTrunk(spec);
    const out = diffPersistent(sipInboundKind, d, live, { ...ctx, recordedSecretHash: 'old' });
    expect(out.change?.action).toBe('update');
    expect(out.change?.changedFields).toEqual(['authPassword']);
    expect(out.change?.after?.['authPassword']).toBe('(sensitive value)');
    expect(out.change?.sensitivePaths).toEqual(['authPassword']);
    expect(JSON.stringify({ ...out.change, payload: null })).not.toContain('secret-pw');
    expect(JSON.stringify(out.change?.payload)).not.toContain('secret-pw');
  });

  it('an unreadable secret is not diffed (no hash), the other fields still are', () => {
    const d = desiredTrunk({ ...spec, authPassword: { fromEnv: 'UNSET_VAR' } });
    expect(d.secretHash).toBeUndefined();
    const out = diffPersistent(sipInboundKind, d, live, { ...ctx, recordedSecretHash: 'old' });
    expect(out).toEqual({});
  });
});
