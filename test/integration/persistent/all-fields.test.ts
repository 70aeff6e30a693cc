/**
 * Every Ingress and SIP spec field round-trips through livekit-server: created with all fields
 * set, read back by the SDK as written, a second plan is empty, and changing every changeable
 * field updates the same server objects in place, after which the plan is empty again.
 */
import type { IngressClient, SipClient } from 'livekit-server-sdk';
import {
  IngressAudioEncodingPreset,
  IngressVideoEncodingPreset,
  SIPHeaderOptions,
  SIPMediaEncryption,
} from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../harness/cli.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';
import { cleanupPersistent, doc, persistentClients } from './bed.ts';

const SECRET_ENV = { SIP_PW: 'pw-AllFields-51d0' };

let ws: Workspace;
let ingress: IngressClient;
let sip: SipClient;

async function mine<T extends { name: string }>(list: Promise<T[]>): Promise<T[]> {
  return (await list).filter((x) => x.name.startsWith(ws.prefix));
}

interface Variant {
  audio: string;
  video: string;
  header: string;
  include: 'none' | 'x-headers' | 'all';
  encryption: 'disable' | 'allow' | 'require';
  ringing: string;
  maxCall: string;
  country: string;
  fromHost: string;
  krisp: boolean;
  preset: string;
  noRandomness: boolean;
}

function specs(v: Variant, numbers: { trunk: string; caller: string }): string {
  const p = ws.prefix;
  const headerFields = {
    headers: { 'X-Org': v.header },
    headersToAttributes: { 'X-Caller-Tier': `tier.${v.header}` },
    attributesToHeaders: { [`ticket.${v.header}`]: 'X-Ticket' },
    includeHeaders: v.include,
    mediaEncryption: v.encryption,
  };
  return [
    doc('Ingress', `${p}enc`, {
      inputType: 'rtmp',
      roomName: `${p}hall`,
      participantIdentity: 'encoder',
      enableTranscoding: true,
      audio: { preset: v.audio },
      video: { preset: v.video },
    }),
    doc('SIPInboundTrunk', `${p}in`, {
      numbers: [numbers.trunk],
      authUsername: 'lk',
      authPassword: { fromEnv: 'SIP_PW' },
      ringingTimeout: v.ringing,
      maxCallDuration: v.maxCall,
      krispEnabled: v.krisp,
      ...headerFields,
    }),
    doc('SIPOutboundTrunk', `${p}out`, {
      address: 'sip.example.test',
      transport: 'tcp',
      numbers: [numbers.caller],
      destinationCountry: v.country,
      fromHost: v.fromHost,
      ...headerFields,
    }),
    doc('SIPDispatchRule', `${p}rule`, {
      rule: { individual: { roomPrefix: `${p}call-`, noRandomness: v.noRandomness } },
      trunks: [`${p}in`],
      inboundNumbers: [numbers.caller],
      numbers: [numbers.trunk],
      roomPreset: v.preset,
      krispEnabled: v.krisp,
      mediaEncryption: v.encryption,
    }),
  ].join('\n---\n');
}

beforeAll(async () => {
  ({ ingress, sip } = persistentClients());
  ws = await createWorkspace('file');
});

afterAll(() => cleanupPersistent(ws, ingress, sip));

describe('every Ingress and SIP field round-trips through livekit-server', () => {
  it('creates with all fields, plans nothing, updates every field in place', async () => {
    const numbers = {
      trunk: `+1556${Math.floor(Math.random() * 1e7)}`,
      caller: `+1557${Math.floor(Math.random() * 1e7)}`,
    };
    const first: Variant = {
      audio: 'OPUS_MONO_64KBS',
      video: 'H264_540P_25FPS_2_LAYERS',
      header: 'a',
      include: 'x-headers',
      encryption: 'allow',
      ringing: '30s',
      maxCall: '2h',
      country: 'US',
      fromHost: 'calls.example.test',
      krisp: true,
      preset: 'phone-preset',
      noRandomness: true,
    };
    await writeFiles(ws.dir, { 'rooms/persistent.yaml': specs(first, numbers) + '\n' });
    const applied = await ws.cli(['apply', '--auto-approve'], SECRET_ENV);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).not.toContain('not reconciled');
    expect(applied.code).toBe(0);

    const [enc] = await mine(ingress.listIngress());
    expect(enc?.audio?.encodingOptions).toEqual({
      case: 'preset',
      value: IngressAudioEncodingPreset.OPUS_MONO_64KBS,
    });
    expect(enc?.video?.encodingOptions).toEqual({
      case: 'preset',
      value: IngressVideoEncodingPreset.H264_540P_25FPS_2_LAYERS,
    });
    const [inbound] = await mine(sip.listSipInboundTrunk());
    expect(inbound?.headers).toEqual({ 'X-Org': 'a' });
    expect(inbound?.headersToAttributes).toEqual({ 'X-Caller-Tier': 'tier.a' });
    expect(inbound?.attributesToHeaders).toEqual({ 'ticket.a': 'X-Ticket' });
    expect(inbound?.includeHeaders).toBe(SIPHeaderOptions.SIP_X_HEADERS);
    expect(inbound?.mediaEncryption).toBe(SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW);
    expect(inbound?.ringingTimeout?.seconds).toBe(30n);
    expect(inbound?.maxCallDuration?.seconds).toBe(7200n);
    const [outbound] = await mine(sip.listSipOutboundTrunk());
    expect(outbound?.destinationCountry).toBe('US');
    expect(outbound?.fromHost).toBe('calls.example.test');
    expect(outbound?.attributesToHeaders).toEqual({ 'ticket.a': 'X-Ticket' });
    const [rule] = await mine(sip.listSipDispatchRule());
    expect(rule?.inboundNumbers).toEqual([numbers.caller]);
    expect(rule?.numbers).toEqual([numbers.trunk]);
    expect(rule?.roomPreset).toBe('phone-preset');
    expect(rule?.krispEnabled).toBe(true);
    expect(rule?.mediaEncryption).toBe(SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW);
    const individual = rule?.rule?.rule;
    expect(individual?.case === 'dispatchRuleIndividual' && individual.value.noRandomness).toBe(
      true,
    );

    const again = await ws.cli(['plan', '--detailed-exitcode'], SECRET_ENV);
    expect(again.stdout).toContain('No changes. LiveKit matches the specs.');
    expect(again.code).toBe(0);

    const second: Variant = {
      audio: 'OPUS_STEREO_96KBPS',
      video: 'H264_720P_30FPS_1_LAYER',
      header: 'b',
      include: 'all',
      encryption: 'require',
      ringing: '45s',
      maxCall: '90m',
      country: 'GB',
      fromHost: 'other.example.test',
      krisp: false,
      preset: 'other-preset',
      noRandomness: false,
    };
    await writeFiles(ws.dir, { 'rooms/persistent.yaml': specs(second, numbers) + '\n' });
    const changed = await ws.cli(['plan', '--detailed-exitcode'], SECRET_ENV);
    expect(changed.code).toBe(2);
    for (const address of [
      'ingress.enc',
      'sip-inbound.in',
      'sip-outbound.out',
      'sip-dispatch.rule',
    ]) {
      const [kind, name] = address.split('.');
      expect(changed.stdout).toContain(`~ ${kind}.${ws.prefix}${name}`);
    }
    const updated = await ws.cli(['apply', '--auto-approve'], SECRET_ENV);
    expect(updated.stderr).toBe('');
    expect(updated.code).toBe(0);

    const [enc2] = await mine(ingress.listIngress());
    expect(enc2?.ingressId).toBe(enc?.ingressId);
    expect(enc2?.video?.encodingOptions).toEqual({
      case: 'preset',
      value: IngressVideoEncodingPreset.H264_720P_30FPS_1_LAYER,
    });
    const [inbound2] = await mine(sip.listSipInboundTrunk());
    expect(inbound2?.sipTrunkId).toBe(inbound?.sipTrunkId);
    expect(inbound2?.maxCallDuration?.seconds).toBe(5400n);
    expect(inbound2?.includeHeaders).toBe(SIPHeaderOptions.SIP_ALL_HEADERS);
    const [outbound2] = await mine(sip.listSipOutboundTrunk());
    expect(outbound2?.sipTrunkId).toBe(outbound?.sipTrunkId);
    expect(outbound2?.fromHost).toBe('other.example.test');
    const [rule2] = await mine(sip.listSipDispatchRule());
    expect(rule2?.sipDispatchRuleId).toBe(rule?.sipDispatchRuleId);
    expect(rule2?.roomPreset).toBe('other-preset');

    const settled = await ws.cli(['plan', '--detailed-exitcode'], SECRET_ENV);
    expect(settled.stdout).toContain('No changes. LiveKit matches the specs.');
    expect(settled.code).toBe(0);
  });
});
