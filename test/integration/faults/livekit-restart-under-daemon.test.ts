/**
 * Fault row "livekit-server restarted under the daemon": a livekit-server of its own (its own
 * Redis) SIGKILLed while the daemon reconciles it, a spec added while it is down, then started
 * again. The daemon must keep running (healthy), say unready while LiveKit is gone, and converge
 * after: every declared room listed once and hosted by the restarted node (which registers under a
 * new node id, so the rooms LiveKit kept in Redis are moved to it by `--reassert-rooms`).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { roomPlacement } from '../../harness/livekit-cluster.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import {
  serverPort,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from '../daemon/daemon-process.ts';
import { recordFigures } from './figures.ts';

const ROOMS = 20;
const INTERVAL_S = 3;

let lk: LiveKitEnv;
let daemon: DaemonChild | undefined;
let ws: string | undefined;

beforeAll(async () => {
  lk = await startLiveKit({});
});

afterAll(async () => {
  await daemon?.stop();
  await lk?.stop();
  if (ws) await rm(ws, { recursive: true, force: true });
});

async function readyz(base: string): Promise<{ status: number; reasons: string[] }> {
  const res = await fetch(`${base}/readyz`);
  const body = (await res.json()) as { reasons?: string[] };
  return { status: res.status, reasons: body.reasons ?? [] };
}

function placement(): Promise<Map<string, string>> {
  return roomPlacement(Number(lk.redisAddress.split(':').at(-1)));
}

describe('livekit-server restarted under the daemon', () => {
  it('keeps running, is unready while LiveKit is down, converges after', async () => {
    const tag = randomBytes(3).toString('hex');
    const names = Array.from({ length: ROOMS }, (_, i) => `rs-${tag}-${i}`);
    const files: Record<string, string> = {};
    for (const n of names) files[`specs/${n}.yaml`] = roomYaml(n, { emptyTimeout: 3600 });
    ws = await makeWorkspace(files);
    const server = { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret };
    daemon = await startDaemonChild(ws, server, [
      'specs',
      '--interval',
      `${INTERVAL_S}s`,
      '--reassert-rooms',
    ]);
    const d = daemon;
    onTestFailed(() => console.error(`--- daemon log ---\n${d.logs().slice(-20_000)}`));
    await waitFor('ready', async () => (await readyz(d.base)).status === 200, 30_000);

    await lk.kill();
    const killedAt = Date.now();
    // A spec added while LiveKit is down: created once it is back.
    const late = `rs-${tag}-late`;
    await writeFile(join(ws, 'specs', `${late}.yaml`), roomYaml(late, { emptyTimeout: 3600 }));
    const declared = [...names, late];
    await waitFor(
      'unready while LiveKit is down',
      async () => (await readyz(d.base)).reasons.includes('LiveKit unreachable'),
      INTERVAL_S * 1000 + 10_000,
    );
    const health = await fetch(`${d.base}/healthz`);
    expect(health.status).toBe(200);
    expect(d.child.exitCode).toBeNull();

    const restartedAt = Date.now();
    await lk.restart();
    const node = lk.nodeId();
    const port = serverPort(server);
    await waitFor(
      'every declared room listed and on the restarted node',
      async () => {
        const listed = new Set((await port.listRooms()).map((r) => r.name));
        const placed = await placement();
        return declared.every((n) => listed.has(n) && placed.get(n) === node);
      },
      30_000,
    );
    await waitFor('ready again', async () => (await readyz(d.base)).status === 200, 15_000);
    const convergedMs = Date.now() - restartedAt;
    expect(d.child.exitCode).toBeNull();

    const listed = (await port.listRooms())
      .map((r) => r.name)
      .filter((n) => n.startsWith(`rs-${tag}-`));
    const lost = declared.filter((n) => !listed.includes(n));
    const duplicated = listed.length - new Set(listed).size;
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    await recordFigures('livekit-server restarted under the daemon', {
      lost: lost.length,
      duplicated,
      convergedMs,
      note: `${declared.length} rooms (one added while down); down ${restartedAt - killedAt} ms; resync interval ${INTERVAL_S} s`,
    });
  });
});
