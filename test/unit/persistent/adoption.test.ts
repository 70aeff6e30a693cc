import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-run.ts';
import { withMarker } from '../../../src/kinds/sip-common/marker.ts';
import { createFakeLiveKit } from '../../fakes/fake-livekit.ts';
import { openBed, type Bed } from './bed.ts';
import { boundarySecrets } from '../../../src/spec/secrets.ts';

const SPECS = `
apiVersion: livekit-gitops/v1
kind: Ingress
metadata: { name: encoder }
spec: { inputType: rtmp, roomName: town-hall, participantIdentity: stage }
---
apiVersion: livekit-gitops/v1
kind: SIPInboundTrunk
metadata: { name: main-in }
spec: { numbers: ['+15105550100'], authPassword: { fromEnv: SIP_PW } }
`;

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

describe('a create whose answer was lost is adopted, never made twice', () => {
  it('adopts the objects an apply made before its state write failed', async () => {
    const fake = createFakeLiveKit();
    bed = await openBed(fake);
    const project = await bed.specs(SPECS);
    const out = await bed.plan(project);
    const lock = await bed.lock();
    // The markers are written, then the process "dies" after the calls: state never records them.
    const realUpdate = lock.update.bind(lock);
    let writes = 0;
    lock.update = (fn) => {
      writes++;
      if (writes > 1) return Promise.reject(new Error('killed'));
      return realUpdate(fn);
    };
    await applyPlan({
      plan: out.plan,
      port: fake,
      lock,
      settled: out,
      concurrency: 2,
      now: () => new Date(),
      secrets: boundarySecrets(process.env),
    }).catch(() => undefined);
    await lock.release();
    const pending = (await bed.state()).pending;
    expect(Object.keys(pending).sort()).toEqual(['ingress.encoder', 'sip-inbound.main-in']);
    expect(await fake.listIngress()).toHaveLength(1);

    const next = await bed.plan(project);
    expect(next.plan.changes).toEqual([]);
    await bed.apply(project);
    const state = await bed.state();
    expect(state.pending).toEqual({});
    expect(state.owned['ingress.encoder']?.serverId).toBe((await fake.listIngress())[0]?.ingressId);
    expect(state.owned['sip-inbound.main-in']?.specHash).toMatch(/^[0-9a-f]{32}$/);
    expect(await fake.listIngress()).toHaveLength(1);
    expect(await fake.listSipInboundTrunks()).toHaveLength(1);
    expect((await bed.plan(project)).plan.changes).toEqual([]);
  });

  it('a same-named trunk without the marker is not adopted: the create is planned again', async () => {
    const fake = createFakeLiveKit();
    bed = await openBed(fake);
    const project = await bed.specs(SPECS);
    const lock = await bed.lock();
    await lock.update((d) => {
      d.pending['sip-inbound.main-in'] = {
        address: 'sip-inbound.main-in',
        operation: 'create',
        startedAt: new Date().toISOString(),
        match: { name: 'main-in', marker: 'yes' },
      };
    });
    await lock.release();
    await fake.createSipInboundTrunk({ name: 'main-in', numbers: ['+1'], metadata: '' });
    const plan = (await bed.plan(project)).plan;
    expect(plan.held.map((h) => `${h.action} ${h.address}`)).toEqual([
      'update sip-inbound.main-in',
    ]);
    expect(plan.changes.filter((c) => c.kind === 'SIPInboundTrunk')).toEqual([]);
  });

  it('a marked trunk whose follow-up update failed is adopted and its missing fields planned in place', async () => {
    const fake = createFakeLiveKit();
    bed = await openBed(fake);
    const project = await bed.specs(`
apiVersion: livekit-gitops/v1
kind: SIPInboundTrunk
metadata: { name: main-in }
spec: { numbers: ['+15105550100'], maxCallDuration: 2h, attributesToHeaders: { ticket: X-Ticket } }
`);
    const lock = await bed.lock();
    await lock.update((d) => {
      d.pending['sip-inbound.main-in'] = {
        address: 'sip-inbound.main-in',
        operation: 'create',
        startedAt: new Date().toISOString(),
        match: { name: 'main-in', marker: 'yes' },
      };
    });
    await lock.release();
    // What the SDK's create leaves when the adapter's follow-up update never ran.
    const made = await fake.createSipInboundTrunk({
      name: 'main-in',
      numbers: ['+15105550100'],
      metadata: withMarker(undefined),
    });
    const plan = (await bed.plan(project)).plan;
    expect(plan.changes.map((c) => [c.action, c.address, c.changedFields])).toEqual([
      ['update', 'sip-inbound.main-in', ['attributesToHeaders', 'maxCallDuration']],
    ]);
    await bed.apply(project);
    expect(await fake.listSipInboundTrunks()).toMatchObject([
      { sipTrunkId: made.sipTrunkId, maxCallDurationMs: 7_200_000 },
    ]);
    expect((await bed.plan(project)).plan.changes).toEqual([]);
  });
});
