/**
 * Ingress and SIP through the real CLI against the shared livekit-server (with Redis): create,
 * plan empty, update in place, same-named foreign objects left alone, prune of owned objects only,
 * adoption of a create whose state write was lost, and no secret value in any output or the state.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngressClient, SipClient } from 'livekit-server-sdk';
import { IngressInput } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../harness/cli.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';
import { cleanupPersistent, doc, persistentClients } from './bed.ts';

const PASSWORD = 'pw-Integration-7f3c91';
const PIN = '918273';
const SECRET_ENV = { SIP_PW: PASSWORD, HALL_PIN: PIN };

let ws: Workspace;
let ingress: IngressClient;
let sip: SipClient;

async function writeSpecs(docs: string[]): Promise<void> {
  await writeFiles(ws.dir, { 'rooms/persistent.yaml': docs.join('\n---\n') + '\n' });
}

function cli(args: string[]) {
  return ws.cli(args, SECRET_ENV);
}

async function mine<T extends { name: string }>(list: Promise<T[]>): Promise<T[]> {
  return (await list).filter((x) => x.name.startsWith(ws.prefix));
}

beforeAll(async () => {
  ({ ingress, sip } = persistentClients());
  ws = await createWorkspace('file');
});

afterAll(() => cleanupPersistent(ws, ingress, sip));

describe('Ingress and SIP reconcile against livekit-server', () => {
  it('creates, plans nothing, updates in place, leaves foreign objects, prunes only owned', async () => {
    const p = ws.prefix;
    const number = `+1555${Math.floor(Math.random() * 1e7)}`;
    const enc = (participantName: string) =>
      doc('Ingress', `${p}enc`, {
        inputType: 'rtmp',
        roomName: `${p}hall`,
        participantIdentity: 'encoder',
        participantName,
      });
    const trunk = doc('SIPInboundTrunk', `${p}in`, {
      numbers: [number],
      authUsername: 'lk',
      authPassword: { fromEnv: 'SIP_PW' },
    });
    const rule = doc('SIPDispatchRule', `${p}rule`, {
      rule: { direct: { roomName: `${p}hall`, pin: { fromEnv: 'HALL_PIN' } } },
      trunks: [`${p}in`],
      attributes: { source: 'phone' },
    });
    await writeSpecs([enc('Stage'), trunk, rule]);

    const planned = await cli(['plan', '--detailed-exitcode']);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain(`+ ingress.${p}enc`);
    expect(planned.stdout).toContain(`+ sip-inbound.${p}in`);
    expect(planned.stdout).toContain(`+ sip-dispatch.${p}rule`);

    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const [made] = await mine(ingress.listIngress());
    const [madeTrunk] = await mine(sip.listSipInboundTrunk());
    const [madeRule] = await mine(sip.listSipDispatchRule());
    expect(madeRule?.trunkIds).toEqual([madeTrunk?.sipTrunkId]);
    expect(made?.participantName).toBe('Stage');

    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.stdout).toContain('No changes. LiveKit matches the specs.');
    expect(again.code).toBe(0);

    // A changed field is an in-place update of the same server object.
    await writeSpecs([enc('Stage left'), trunk, rule]);
    const changed = await cli(['plan', '--detailed-exitcode']);
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain(`~ ingress.${p}enc`);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const updated = await mine(ingress.listIngress());
    expect(updated.map((i) => [i.ingressId, i.participantName])).toEqual([
      [made?.ingressId, 'Stage left'],
    ]);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);

    // A same-named object made outside the tool is held, never changed.
    const foreign = await ingress.createIngress(IngressInput.RTMP_INPUT, {
      name: `${p}foreign`,
      roomName: `${p}other`,
      participantIdentity: 'theirs',
      participantName: 'Theirs',
    });
    const foreignDoc = doc('Ingress', `${p}foreign`, {
      inputType: 'rtmp',
      roomName: `${p}other`,
      participantIdentity: 'theirs',
      participantName: 'Ours now',
    });
    await writeSpecs([enc('Stage left'), trunk, rule, foreignDoc]);
    const held = await cli(['plan', '--detailed-exitcode']);
    expect(held.stdout).toContain(`ingress.${p}foreign`);
    expect(held.stdout).toContain('did not create it');
    expect(held.code).toBe(0);

    // Prune: the owned ingress, trunk and rule go; the foreign ingress stays.
    await writeSpecs([foreignDoc]);
    const pruned = await cli(['apply', '--auto-approve', '--prune', '--force']);
    expect(pruned.stderr).toBe('');
    expect(pruned.code).toBe(0);
    expect(
      (await mine(ingress.listIngress())).map((i) => [i.ingressId, i.participantName]),
    ).toEqual([[foreign.ingressId, 'Theirs']]);
    expect(await mine(sip.listSipInboundTrunk())).toEqual([]);
    expect(await mine(sip.listSipDispatchRule())).toEqual([]);

    // No secret value anywhere: plan text, JSON, markdown, apply output, state.
    const outputs = [
      planned.stdout,
      applied.stdout,
      (await cli(['plan', '--format', 'json'])).stdout,
      (await cli(['plan', '--format', 'markdown'])).stdout,
      await readFile(join(ws.dir, '.livekit-gitops', 'state.json'), 'utf8'),
    ].join('\n');
    expect(outputs).not.toContain(PASSWORD);
    expect(outputs).not.toContain(PIN);
    expect(outputs).not.toContain(made?.streamKey);
    await ingress.deleteIngress(foreign.ingressId);
  });

  it('adopts the ingress of a create whose state write was lost instead of creating a second', async () => {
    const p = ws.prefix;
    const name = `${p}lost`;
    await writeSpecs([
      doc('Ingress', name, {
        inputType: 'rtmp',
        roomName: `${p}hall`,
        participantIdentity: 'enc2',
      }),
    ]);
    // What an apply killed right after CreateIngress leaves: the pending marker and the object.
    const backend = ws.state();
    const lock = await backend.acquireLock({ operation: 'apply' });
    await lock.update((d) => {
      d.pending[`ingress.${name}`] = {
        address: `ingress.${name}`,
        operation: 'create',
        startedAt: new Date().toISOString(),
        match: { name, inputType: 'rtmp', roomName: `${p}hall`, participantIdentity: 'enc2' },
      };
    });
    await lock.release();
    await backend.close();
    const made = await ingress.createIngress(IngressInput.RTMP_INPUT, {
      name,
      roomName: `${p}hall`,
      participantIdentity: 'enc2',
    });

    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const live = (await mine(ingress.listIngress())).filter((i) => i.name === name);
    expect(live.map((i) => i.ingressId)).toEqual([made.ingressId]);
    const state = JSON.parse(
      await readFile(join(ws.dir, '.livekit-gitops', 'state.json'), 'utf8'),
    ) as { owned: Record<string, { serverId?: string }>; pending: Record<string, unknown> };
    expect(state.owned[`ingress.${name}`]?.serverId).toBe(made.ingressId);
    expect(state.pending).toEqual({});
  });
});
