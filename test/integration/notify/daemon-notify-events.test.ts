/**
 * The notification events a reconcile produces, each through a real daemon and a real
 * livekit-server to a local receiver: `failed` (the server refuses a SIP trunk whose number an
 * unmanaged trunk already takes), `held` (deletes over maxDeletes; an immutable change of an
 * occupied room), and `specErrors` for specs holding secret-looking values. No body, status file,
 * dashboard snapshot or log line shows a secret. (`recordingEnded` is tested with the egress
 * worker in test/integration/recording/daemon-path.test.ts, `leadership` lost in
 * test/integration/daemon/daemon-lease.test.ts.)
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SipClient } from 'livekit-server-sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../../src/adapters/notify/sign.ts';
import { liveKitCliEnv, makeWorkspace, roomYaml, runCli } from '../../harness/cli.ts';
import { disconnectAll, disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed, stopDaemons } from '../daemon/test-bed.ts';
import { startReceiver } from '../../unit/notify/receiver.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const sip = new SipClient(env.url, env.apiKey, env.apiSecret);
const running: DaemonChild[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await disconnectAll();
  await stopDaemons(running);
  for (const c of closers.splice(0)) await c();
});
afterAll(async () => {
  await disposeRtc();
  await deleteTaggedRooms();
  for (const t of await sip.listSipInboundTrunk())
    if (t.name.includes(tag)) await sip.deleteSipTrunk(t.sipTrunkId);
});

const HMAC = `hmac-${tag}-Zq9`;
const DASHBOARD_TOKEN = `dash-${tag}-T0K3N`;
/** Planted in invalid specs; no output may show it. */
const MARK = `S3CRET${tag}`;

interface Body {
  type: string;
  data: Record<string, unknown>;
}

function doc(kind: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'livekit-gitops/v1', kind, metadata: { name }, spec });
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return Promise.all(
    names.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')),
  );
}

describe('daemon notification events', () => {
  it('held (maxDeletes, occupied room), failed and specErrors reach the receiver, signed, with no secret anywhere', async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const number = `+1555${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, '0')}`;
    // Unmanaged, taking the number for any caller: the server refuses a second such trunk.
    await sip.createSipInboundTrunk(`unmanaged-${tag}`, [number]);
    const occupied = `occ-${tag}`;
    const [gone1, gone2] = [`gone1-${tag}`, `gone2-${tag}`];
    const ws = await makeWorkspace({
      'rooms/occupied.yaml': roomYaml(occupied, { emptyTimeout: 300 }),
      'rooms/gone1.yaml': roomYaml(gone1),
      'rooms/gone2.yaml': roomYaml(gone2),
      'livekit-gitops.yaml': [
        'prune: true',
        'maxDeletes: 1',
        'notifications:',
        '  sinks:',
        '    - name: ops',
        `      webhook: { url: "${rx.url}", secret: { fromEnv: NOTIFY_HMAC } }`,
        '      events: [failed, held, specErrors]',
        '      dedupWindow: 1s',
        '      ratePerMinute: 600',
        '',
      ].join('\n'),
    });
    // An apply creates (and owns) the rooms; then both `gone` specs go, and the daemon starts
    // with one full reconcile that would delete two: over maxDeletes, so it is held.
    const applied = await runCli(['apply', '--auto-approve'], { cwd: ws, env: liveKitCliEnv(env) });
    expect(applied.code, applied.stderr).toBe(0);
    await rm(join(ws, 'rooms/gone1.yaml'));
    await rm(join(ws, 'rooms/gone2.yaml'));
    const d = await startDaemonChild(ws, env, ['--interval', '1s', '--debounce', '50'], {
      NOTIFY_HMAC: HMAC,
      LIVEKIT_GITOPS_DASHBOARD_TOKEN: DASHBOARD_TOKEN,
    });
    running.push(d);
    const bodies = () => rx.received.map((r) => JSON.parse(r.body) as Body);
    const find = (type: string, pred: (data: Record<string, unknown>) => boolean) =>
      bodies().find((b) => b.type === type && pred(b.data));

    await waitFor(
      'held for maxDeletes',
      () => find('held', (x) => /maxDeletes/.test(String(x['reason']))) !== undefined,
      20_000,
    );
    expect(await port.listRooms([gone1, gone2])).toHaveLength(2);
    // Back under the limit: gone2 comes back, so only gone1 is deleted.
    await writeFile(join(ws, 'rooms/gone2.yaml'), roomYaml(gone2));
    await waitFor('gone1 pruned', async () => (await port.listRooms([gone1])).length === 0, 20_000);

    // failed: the server refuses a trunk whose number an unmanaged trunk takes for any caller.
    await writeFile(
      join(ws, 'rooms/trunk.yaml'),
      doc('SIPInboundTrunk', `trunk-${tag}`, { numbers: [number] }),
    );
    await waitFor(
      'failed event',
      () => find('failed', (x) => String(x['message']).includes(`trunk-${tag}`)) !== undefined,
      20_000,
    );
    const failed = find('failed', (x) => String(x['message']).includes(`trunk-${tag}`))!;
    expect(String(failed.data['message'])).toMatch(/^create sip-inbound\.trunk-/);
    expect(String(failed.data['message']).toLowerCase()).toContain('conflict');

    // held: an immutable field of an occupied room changes; onOccupied defaults to wait.
    await joinParticipant(env, { room: occupied, identity: 'alice' });
    await waitFor(
      'alice in the room',
      async () => (await port.listParticipants(occupied)).length === 1,
    );
    await writeFile(join(ws, 'rooms/occupied.yaml'), roomYaml(occupied, { emptyTimeout: 600 }));
    await waitFor(
      'held for the occupied room',
      () => find('held', (x) => x['room'] === occupied) !== undefined,
      20_000,
    );
    expect(String(find('held', (x) => x['room'] === occupied)!.data['reason'])).toContain(
      '1 participant',
    );

    // specErrors: invalid specs with secrets written inline or pasted as variable names.
    await writeFile(
      join(ws, 'rooms/bad.yaml'),
      [
        doc('SIPOutboundTrunk', `out-${tag}`, {
          address: 'sip.example',
          numbers: ['+15105550100'],
          authPassword: `${MARK}-sip-pw`,
        }),
        doc('SIPDispatchRule', `rule-${tag}`, {
          rule: { direct: { roomName: occupied, pin: { fromEnv: `ghp_${MARK}0123456789` } } },
        }),
      ].join('\n---\n'),
    );
    await waitFor(
      'specErrors appeared',
      () => find('specErrors', (x) => x['change'] === 'appeared') !== undefined,
      20_000,
    );
    const specErrors = find('specErrors', (x) => x['change'] === 'appeared')!;
    expect(JSON.stringify(specErrors.data)).toContain('bad.yaml');
    expect(specErrors.data['count']).toBe(2);
    const snapshot = await (await fetch(`${d.base}/dashboard/snapshot.json`)).text();
    expect(snapshot).toContain('bad.yaml');

    for (const r of rx.received) {
      const ts = r.headers[TIMESTAMP_HEADER.toLowerCase()] as string;
      const sig = r.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature(HMAC, ts, r.body, sig)).toBe(true);
    }
    await d.stop();
    running.splice(0);
    const statusFiles = await filesUnder(join(ws, 'status'));
    expect(statusFiles.join('\n')).toContain('bad.yaml');
    const everything = [...rx.received.map((r) => r.body), ...statusFiles, snapshot, d.logs()].join(
      '\n',
    );
    for (const secret of [HMAC, DASHBOARD_TOKEN, MARK, env.apiSecret])
      expect(everything).not.toContain(secret);
  });
});
