import { afterEach, describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../../src/core/render-json.ts';
import { createFakeLiveKit, type FakeLiveKit } from '../../fakes/fake-livekit.ts';
import { ENV, openBed, type Bed } from './bed.ts';

const SPECS = `
apiVersion: livekit-gitops/v1
kind: Ingress
metadata: { name: encoder }
spec: { inputType: rtmp, roomName: town-hall, participantIdentity: stage, participantName: Stage }
---
apiVersion: livekit-gitops/v1
kind: SIPInboundTrunk
metadata: { name: main-in }
spec:
  numbers: ['+15105550101', '+15105550100']
  authUsername: lk
  authPassword: { fromEnv: SIP_PW }
---
apiVersion: livekit-gitops/v1
kind: SIPOutboundTrunk
metadata: { name: main-out }
spec: { address: sip.example.com, transport: tls, numbers: ['+15105550100'] }
---
apiVersion: livekit-gitops/v1
kind: SIPDispatchRule
metadata: { name: dial-in }
spec:
  rule: { direct: { roomName: town-hall, pin: { fromEnv: TOWN_PIN } } }
  trunks: [main-in]
  attributes: { source: phone }
`;

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

async function setup(): Promise<{ fake: FakeLiveKit; bed: Bed }> {
  const fake = createFakeLiveKit();
  bed = await openBed(fake);
  return { fake, bed };
}

describe('persistent kinds: apply, then plan is empty (fake LiveKit)', () => {
  it('creates each kind once, owns it by server id, and the next plan has no changes', async () => {
    const { fake, bed } = await setup();
    const project = await bed.specs(SPECS);
    expect(project.diagnostics).toEqual([]);
    const first = await bed.plan(project);
    expect(first.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(
      [
        'create sip-dispatch.dial-in',
        'create sip-inbound.main-in',
        'create sip-outbound.main-out',
        'create ingress.encoder',
      ].sort((a, b) => order(a) - order(b)),
    );
    const report = await bed.apply(project);
    expect(report.outcomes.every((o) => o.ok)).toBe(true);
    const state = await bed.state();
    const [ingress] = await fake.listIngress();
    const [trunk] = await fake.listSipInboundTrunks();
    const [rule] = await fake.listSipDispatchRules();
    expect(state.owned['ingress.encoder']?.serverId).toBe(ingress?.ingressId);
    expect(state.owned['sip-inbound.main-in']?.serverId).toBe(trunk?.sipTrunkId);
    expect(rule?.trunkIds).toEqual([trunk?.sipTrunkId]);
    expect(trunk?.authPassword).toBe(ENV.SIP_PW);
    expect(rule?.rule).toMatchObject({ type: 'direct', roomName: 'town-hall', pin: ENV.TOWN_PIN });
    // The marker carries the state's lineage (two installations on one server stay apart).
    expect(JSON.parse(trunk?.metadata ?? '')).toEqual({
      managedBy: `livekit-gitops:${state.lineage}`,
    });
    expect(state.pending).toEqual({});
    const again = await bed.plan(project);
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.held).toEqual([]);
    // No secret value in the plan or the state.
    const text = JSON.stringify(renderPlanJson(first.plan)) + JSON.stringify(state);
    expect(text).not.toContain(ENV.SIP_PW);
    expect(text).not.toContain(ENV.TOWN_PIN);
    expect(text).not.toContain(ingress?.streamKey);
  });

  it('a changed password is an in-place update found through the hash in state, shown as sensitive', async () => {
    const { fake, bed } = await setup();
    const project = await bed.specs(SPECS);
    await bed.apply(project);
    const [before] = await fake.listSipInboundTrunks();
    process.env['SIP_PW'] = 'a-new-password';
    try {
      const plan = (await bed.plan(project)).plan;
      expect(plan.changes.map((c) => [c.action, c.address, c.changedFields])).toEqual([
        ['update', 'sip-inbound.main-in', ['authPassword']],
      ]);
      const json = JSON.stringify(renderPlanJson(plan));
      expect(json).not.toContain('a-new-password');
      expect(plan.changes[0]?.after?.['authPassword']).toBe('(sensitive value)');
      await bed.apply(project);
      const [after] = await fake.listSipInboundTrunks();
      expect(after?.sipTrunkId).toBe(before?.sipTrunkId);
      expect(after?.authPassword).toBe('a-new-password');
      expect((await bed.plan(project)).plan.changes).toEqual([]);
    } finally {
      process.env['SIP_PW'] = ENV.SIP_PW;
    }
  });

  it('an owned object whose server id vanished is recreated; prune deletes only owned objects', async () => {
    const { fake, bed } = await setup();
    const project = await bed.specs(SPECS);
    await bed.apply(project);
    const [ingress] = await fake.listIngress();
    await fake.deleteIngress(ingress?.ingressId ?? '');
    const plan = (await bed.plan(project)).plan;
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create ingress.encoder']);
    await bed.apply(project);
    expect(await fake.listIngress()).toHaveLength(1);
    // A same-named ingress made outside the tool stays when the spec goes, even with prune.
    const foreign = await fake.createIngress({
      name: 'encoder',
      inputType: 'rtmp',
      roomName: 'elsewhere',
      participantIdentity: 'x',
    });
    const empty = await bed.specs(SPECS.split('---')[1] ?? '');
    const noPrune = (await bed.plan(empty)).plan;
    expect(noPrune.changes).toEqual([]);
    expect(noPrune.held.map((h) => `${h.action} ${h.address}`)).toContain('delete ingress.encoder');
    await bed.apply(empty, true);
    const left = await fake.listIngress();
    expect(left.map((i) => i.ingressId)).toEqual([foreign.ingressId]);
    expect(await fake.listSipInboundTrunks()).toHaveLength(1);
    expect(await fake.listSipDispatchRules()).toEqual([]);
  });
});

function order(line: string): number {
  return ['sip-inbound', 'sip-outbound', 'sip-dispatch', 'ingress'].findIndex((p) =>
    line.includes(` ${p}.`),
  );
}
