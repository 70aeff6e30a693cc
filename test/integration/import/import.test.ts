/**
 * `import` against the shared livekit-server (with Redis): objects made directly with the SDK are
 * written as specs that `validate` accepts and that hold no secret; `plan` on them creates nothing
 * and leaves them alone; `import --adopt` makes them owned, after which the plan is empty and a
 * drift becomes an update the tool makes.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IngressClient, IngressInput, SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveKitEnv } from '../../harness/env.ts';
import { createWorkspace, type Workspace } from '../plan-apply/workspace.ts';

const PASSWORD = 'pw-Import-51e0a7';

let ws: Workspace;
let ingress: IngressClient;
let sip: SipClient;

beforeAll(async () => {
  const lk = liveKitEnv();
  ingress = new IngressClient(lk.url, lk.apiKey, lk.apiSecret);
  sip = new SipClient(lk.url, lk.apiKey, lk.apiSecret);
  ws = await createWorkspace('file');
});

afterAll(async () => {
  const mine = <T extends { name: string }>(l: T[]) =>
    l.filter((x) => x.name.startsWith(ws.prefix));
  for (const i of mine(await ingress.listIngress())) await ingress.deleteIngress(i.ingressId);
  for (const t of mine(await sip.listSipInboundTrunk())) await sip.deleteSipTrunk(t.sipTrunkId);
  await ws.cleanup();
});

describe('import', () => {
  it('writes valid specs, plans nothing for them, and adopts them on request', async () => {
    const p = ws.prefix;
    await ws.rooms.createRoom({
      name: `${p}lobby`,
      emptyTimeout: 900,
      metadata: '{"tier":"gold"}',
    });
    await ws.rooms.createRoom({ name: `${p}plain` });
    const created = await ingress.createIngress(IngressInput.RTMP_INPUT, {
      name: `${p}enc`,
      roomName: `${p}lobby`,
      participantIdentity: 'encoder',
      participantName: 'Stage',
    });
    const number = `+1666${Math.floor(Math.random() * 1e7)}`;
    await sip.createSipInboundTrunk(`${p}in`, [number], {
      authUsername: 'lk',
      authPassword: PASSWORD,
    });
    const match = ['--match', `${p}*`];

    const imported = await ws.cli(['import', ...match, '--format', 'json']);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as {
      written: { kind: string; name: string }[];
      adopted: number;
    };
    expect(summary.written.map((w) => `${w.kind} ${w.name}`).sort()).toEqual(
      [`Ingress ${p}enc`, `Room ${p}lobby`, `Room ${p}plain`, `SIPInboundTrunk ${p}in`].sort(),
    );
    expect(summary.adopted).toBe(0);
    const envName = `SIP_${p.toUpperCase().replace(/-/g, '_')}IN_PASSWORD`;
    expect(imported.stderr).toContain(envName);

    const files = await readdir(join(ws.dir, 'imported'));
    expect(files.sort()).toEqual(['ingress.yaml', 'room.yaml', 'sip-inbound-trunk.yaml']);
    for (const f of files) {
      const text = await readFile(join(ws.dir, 'imported', f), 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(created.streamKey);
    }
    expect(await readFile(join(ws.dir, 'imported', 'room.yaml'), 'utf8')).toContain('tier: gold');

    const valid = await ws.cli(['validate', 'imported']);
    expect(valid.stdout).toContain('Valid: 4 specs in 3 files.');
    expect(valid.code).toBe(0);

    // Not adopted: nothing to create, and a drift is held, never applied.
    const withPw = { [envName]: PASSWORD };
    const plan = await ws.cli(['plan', 'imported', '--detailed-exitcode'], withPw);
    expect(plan.stdout).not.toMatch(/^\s*\+ /m);
    const roomFile = join(ws.dir, 'imported', 'room.yaml');
    const original = await readFile(roomFile, 'utf8');
    await writeFile(roomFile, original.replace('tier: gold', 'tier: silver'));
    const drift = await ws.cli(['plan', 'imported', '--format', 'json'], withPw);
    const driftPlan = JSON.parse(drift.stdout) as { resource_changes: unknown[]; held?: unknown };
    expect(driftPlan.resource_changes).toEqual([]);
    expect(drift.stdout).toContain(`room.${p}lobby`);
    await writeFile(roomFile, original);

    // A second import refuses to overwrite; --adopt --force records ownership.
    const again = await ws.cli(['import', ...match]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('refusing to overwrite');
    const adopted = await ws.cli(['import', ...match, '--adopt', '--force', '--format', 'json']);
    expect(adopted.code, adopted.stderr).toBe(0);
    expect((JSON.parse(adopted.stdout) as { adopted: number }).adopted).toBe(4);
    const state = await readFile(join(ws.dir, '.livekit-gitops', 'state.json'), 'utf8');
    expect(state).not.toContain(PASSWORD);
    expect(state).toContain(created.ingressId);

    const empty = await ws.cli(['plan', 'imported', '--detailed-exitcode'], withPw);
    expect(empty.stdout + empty.stderr).toContain('No changes.');
    expect(empty.code).toBe(0);

    await writeFile(roomFile, original.replace('tier: gold', 'tier: silver'));
    const owned = await ws.cli(['plan', 'imported', '--detailed-exitcode'], withPw);
    expect(owned.code).toBe(2);
    expect(owned.stdout).toContain(`~ room.${p}lobby`);
    for (const r of [imported, adopted, plan, drift, empty, owned]) {
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    }
  });
});
