import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../../src/adapters/notify/sign.ts';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed, stopDaemons } from '../daemon/test-bed.ts';
import { startReceiver } from '../../unit/notify/receiver.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const running: DaemonChild[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopDaemons(running);
  for (const c of closers.splice(0)) await c();
});
afterAll(deleteTaggedRooms);

const HMAC = `hmac-${tag}-Zq9`;
const SLACK_TOKEN = `slack-path-${tag}-T0K`;

interface Body {
  type: string;
  data: Record<string, unknown>;
}

describe('daemon notifications', () => {
  it('a room deleted behind its back notifies drift; a spec error notifies specErrors; signed; no secret leaks', async () => {
    const rx = await startReceiver();
    const slack = await startReceiver();
    closers.push(rx.close, slack.close);
    const room = `notify-${tag}`;
    const ws = await makeWorkspace({
      'rooms/a.yaml': roomYaml(room, { metadata: 'm' }),
      'livekit-gitops.yaml': [
        'notifications:',
        '  sinks:',
        '    - name: ops',
        `      webhook: { url: "${rx.url}", secret: { fromEnv: NOTIFY_HMAC } }`,
        '      events: [drift, specErrors, leadership]',
        '      dedupWindow: 1s',
        '    - slack: { url: { fromEnv: NOTIFY_SLACK_URL } }',
        '      events: [drift]',
        '',
      ].join('\n'),
    });
    const d = await startDaemonChild(ws, env, ['--interval', '1s', '--debounce', '50'], {
      NOTIFY_HMAC: HMAC,
      NOTIFY_SLACK_URL: `${slack.url}/${SLACK_TOKEN}`,
    });
    running.push(d);
    const bodies = () => rx.received.map((r) => JSON.parse(r.body) as Body);
    await waitFor('room created', async () => (await port.listRooms([room])).length === 1, 20_000);
    await waitFor('first notifications', () => bodies().some((b) => b.type === 'drift'), 10_000);
    // The re-creation is the same event as the first creation: let the 1 s de-duplication window pass.
    await new Promise((r) => setTimeout(r, 1500));
    const before = rx.received.length;

    await port.deleteRoom(room);
    await waitFor(
      'drift after the deletion',
      () =>
        rx.received.slice(before).some((r) => {
          const b = JSON.parse(r.body) as Body;
          return b.type === 'drift' && b.data['room'] === room && b.data['corrected'] === true;
        }),
      20_000,
    );
    expect(await port.listRooms([room])).toHaveLength(1);

    await writeFile(
      join(ws, 'rooms/bad.yaml'),
      'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: {}\n',
    );
    await waitFor(
      'specErrors appeared',
      () => bodies().some((b) => b.type === 'specErrors' && b.data['change'] === 'appeared'),
      10_000,
    );
    const specErr = bodies().find((b) => b.type === 'specErrors')!;
    expect(JSON.stringify(specErr.data)).toContain('bad.yaml');
    expect(bodies().some((b) => b.type === 'leadership' && b.data['change'] === 'acquired')).toBe(
      true,
    );
    // Slack got text messages for drift only.
    expect(slack.received.length).toBeGreaterThan(0);
    for (const s of slack.received) {
      expect((JSON.parse(s.body) as { text: string }).text).toMatch(
        /^\[livekit-gitops\] Drift in room/,
      );
    }

    for (const r of rx.received) {
      const ts = r.headers[TIMESTAMP_HEADER.toLowerCase()] as string;
      const sig = r.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifySignature(HMAC, ts, r.body, sig)).toBe(true);
    }
    await d.stop();
    running.splice(0);
    const everything = [...rx.received, ...slack.received].map((r) => r.body).join('\n') + d.logs();
    for (const secret of [HMAC, SLACK_TOKEN, env.apiSecret])
      expect(everything).not.toContain(secret);
  });
});
