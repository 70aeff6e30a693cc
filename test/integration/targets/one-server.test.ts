/**
 * Two targets pointed at ONE livekit-server, each with its own state, declaring objects of the
 * same names: neither adopts, changes nor deletes the other's rooms, ingress, SIP trunks or
 * dispatch rules, also when one of them holds pending markers of a create whose answer was lost.
 */
import { join } from 'node:path';
import type { IngressClient, SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { writeFiles } from '../../harness/cli.ts';
import { cleanupPersistent, doc, persistentClients } from '../persistent/bed.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';

let ws: Workspace;
let ingress: IngressClient;
let sip: SipClient;

beforeAll(async () => {
  ({ ingress, sip } = persistentClients());
  ws = await createWorkspace('file');
});

afterAll(() => cleanupPersistent(ws, ingress, sip));

function stateOf(target: string) {
  return openStateBackend(
    { backend: 'file', dir: join(ws.dir, '.livekit-gitops', target) },
    ws.dir,
  );
}

async function mine<T extends { name: string }>(list: Promise<T[]>): Promise<T[]> {
  return (await list).filter((x) => x.name.startsWith(ws.prefix));
}

describe('two targets on one LiveKit server', () => {
  it('never adopt, change or delete each other’s objects, also after a lost create', async () => {
    const p = ws.prefix;
    const n = Math.floor(Math.random() * 1e6);
    await writeFiles(ws.dir, {
      'livekit-gitops.yaml': 'targets:\n  a: {}\n  b: { overlays: [targets/b] }\n',
      'rooms/base.yaml':
        [
          doc('Room', `${p}lobby`, { maxParticipants: 10 }),
          doc('SIPInboundTrunk', `${p}in`, { numbers: [`+1555100${n}`] }),
          doc('SIPDispatchRule', `${p}rule`, {
            rule: { individual: { roomPrefix: `${p}call-` } },
            trunks: [`${p}in`],
          }),
          doc('Ingress', `${p}enc`, {
            inputType: 'rtmp',
            roomName: `${p}lobby`,
            participantIdentity: 'a-encoder',
          }),
        ].join('\n---\n') + '\n',
      'targets/b/patch.yaml':
        [
          doc('Room', `${p}lobby`, { maxParticipants: 20 }),
          doc('SIPInboundTrunk', `${p}in`, { numbers: [`+1555200${n}`] }),
          doc('Ingress', `${p}enc`, { participantIdentity: 'b-encoder' }),
          doc('Room', `${p}b-only`, {}),
        ].join('\n---\n') + '\n',
    });

    const a = await ws.cli(['apply', '--target', 'a', '--auto-approve']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const aState = await stateOf('a').read();
    const [trunk] = await mine(sip.listSipInboundTrunk());
    expect(JSON.parse(trunk!.metadata)).toEqual({ managedBy: `livekit-gitops:${aState.lineage}` });

    // b lost the answers of four creates: pending markers of its own lineage, as apply writes them.
    const bBackend = stateOf('b');
    const bLineage = (await bBackend.read()).lineage;
    expect(bLineage).not.toBe(aState.lineage);
    const lock = await bBackend.acquireLock({ operation: 'apply' });
    // b's creates were attempted after a's room appeared, beyond the 5 s clock-skew allowance the
    // room settle pass gives (rooms carry no marker: their metadata is the clients').
    const startedAt = new Date(Date.now() + 6_000).toISOString();
    await lock.update((d) => {
      const pending = (address: string, match: Record<string, string>) =>
        (d.pending[address] = { address, operation: 'create', startedAt, match });
      pending(`room.${p}lobby`, {});
      pending(`sip-inbound.${p}in`, { marker: 'yes', lineage: bLineage });
      pending(`sip-dispatch.${p}rule`, { marker: 'yes', lineage: bLineage });
      pending(`ingress.${p}enc`, {
        inputType: 'rtmp',
        roomName: `${p}lobby`,
        participantIdentity: 'b-encoder',
        lineage: bLineage,
      });
    });
    await lock.release();

    const bPlan = await ws.cli(['plan', '--target', 'b', '--prune', '--format', 'json']);
    expect(bPlan.code).toBe(0);
    const json = JSON.parse(bPlan.stdout) as {
      resource_changes: { address: string }[];
      held: { address: string }[];
    };
    // Only b's own room is created; a's objects of the same names are held, never touched.
    expect(json.resource_changes.map((c) => c.address)).toEqual([`room.${p}b-only`]);
    expect(json.held.map((h) => h.address).sort()).toEqual(
      [`room.${p}lobby`, `sip-inbound.${p}in`, `sip-dispatch.${p}rule`, `ingress.${p}enc`].sort(),
    );

    const b = await ws.cli(['apply', '--target', 'b', '--prune', '--auto-approve']);
    expect(b.code).toBe(0);
    const bState = await stateOf('b').read();
    expect(Object.keys(bState.owned)).toEqual([`room.${p}b-only`]);
    expect(bState.pending).toEqual({});

    // a's objects are as a made them, and a's plan (with prune) neither changes nor deletes b's room.
    const [room] = (await ws.liveRooms()).filter((r) => r.name === `${p}lobby`);
    expect(room?.maxParticipants).toBe(10);
    expect((await mine(sip.listSipInboundTrunk())).map((t) => t.numbers)).toEqual([
      [`+1555100${n}`],
    ]);
    expect((await mine(ingress.listIngress())).map((i) => i.participantIdentity)).toEqual([
      'a-encoder',
    ]);
    expect((await mine(sip.listSipDispatchRule())).map((r) => r.trunkIds)).toEqual([
      [trunk!.sipTrunkId],
    ]);
    const again = await ws.cli(['plan', '--target', 'a', '--prune', '--detailed-exitcode']);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
    expect((await ws.liveRooms()).map((r) => r.name)).toEqual([`${p}b-only`, `${p}lobby`]);
  });
});
