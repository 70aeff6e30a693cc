/**
 * Fault row "one LiveKit node of two lost": two livekit-server nodes sharing one Redis (started
 * here, stopped after), the daemon pointed at one of them with `--reassert-rooms`, webhooks from
 * both, a recording policy on every declared room (the stand-in egress worker), then the other node
 * SIGKILLed. LiveKit keeps listing the dead node's rooms and sends no `room_finished`; the next full
 * resync must move every declared room to the survivor, and no second recording may start.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { startEgressWorker, type EgressWorker } from '../../harness/egress-worker.ts';
import { startLiveKitCluster, type LiveKitCluster } from '../../harness/livekit-cluster.ts';
import {
  addRelayTarget,
  listDeliveries,
  type WebhookPayload,
} from '../../harness/webhook-client.ts';
import { startWebhookRelay, type WebhookRelay } from '../../harness/webhook-relay.ts';
import {
  metricValue,
  serverPort,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from '../daemon/daemon-process.ts';
import { activeIn, policyYaml } from '../recording/setup.ts';
import { recordFigures } from './figures.ts';

const ROOMS = 12;
const INTERVAL_S = 4;

let relay: WebhookRelay;
let cluster: LiveKitCluster;
let worker: EgressWorker;
let daemon: DaemonChild | undefined;
let ws: string | undefined;

beforeAll(async () => {
  relay = await startWebhookRelay();
  cluster = await startLiveKitCluster({ webhookUrls: [relay.webhookUrl] });
  worker = await startEgressWorker({ redisAddress: cluster.redis.address, log: 'quiet' });
});

afterAll(async () => {
  await daemon?.stop();
  await worker?.stop();
  await cluster?.stop();
  await relay?.stop();
  if (ws) await rm(ws, { recursive: true, force: true });
});

function server(node: number): { url: string; apiKey: string; apiSecret: string } {
  const n = cluster.nodes[node]!;
  return { url: n.url, apiKey: cluster.apiKey, apiSecret: cluster.apiSecret };
}

describe('a two-node LiveKit cluster on loopback', () => {
  it('lists and deletes through one node the rooms created through the other', async () => {
    const [a, b] = [serverPort(server(0)), serverPort(server(1))];
    const names = Array.from(
      { length: 6 },
      (_, i) => `pair-${i}-${randomBytes(2).toString('hex')}`,
    );
    for (const name of names) await a.createRoom({ name, emptyTimeout: 300 });

    const placed = await cluster.placement();
    const hosts = new Set(names.map((n) => placed.get(n)));
    expect([...hosts].every((h) => h !== undefined)).toBe(true);
    expect(new Set(cluster.nodes.map((n) => n.nodeId())).size).toBe(2);
    const listedOnB = (await b.listRooms()).map((r) => r.name);
    expect(listedOnB).toEqual(expect.arrayContaining(names));

    for (const name of names) await b.deleteRoom(name);
    const left = (await a.listRooms()).map((r) => r.name);
    expect(left.filter((n) => names.includes(n))).toEqual([]);
  });
});

describe('the daemon against the pair, one node lost', () => {
  it('moves every declared room to the survivor within a resync, with no second recording', async () => {
    const tag = randomBytes(3).toString('hex');
    const names = Array.from({ length: ROOMS }, (_, i) => `lost-${tag}-${i}`);
    const files: Record<string, string> = {
      'specs/rec.yaml': policyYaml(`rec-${tag}`, [`lost-${tag}-*`], {
        when: { minParticipants: 0 },
      }),
    };
    for (const n of names) files[`specs/${n}.yaml`] = roomYaml(n, { emptyTimeout: 3600 });
    ws = await makeWorkspace(files);
    const survivor = serverPort(server(0));
    daemon = await startDaemonChild(
      ws,
      server(0),
      ['specs', '--interval', `${INTERVAL_S}s`, '--reassert-rooms'],
      { REC_AK: 'AKIAEXAMPLEKEY', REC_SK: 'sk-example', YT_RTMP_URL: 'rtmp://live.example/x' },
    );
    await addRelayTarget(relay.url, daemon.webhookUrl);
    const d = daemon;
    onTestFailed(() => console.error(`--- daemon log ---\n${d.logs().slice(-60_000)}`));

    // Converged: every room exists, spread over both nodes, each recorded once.
    await waitFor(
      'declared rooms recorded',
      async () => {
        for (const n of names) if ((await activeIn(survivor, n)).length !== 1) return false;
        return true;
      },
      40_000,
    );
    const before = await cluster.placement();
    const [alive, doomed] = cluster.nodes.map((n) => n.nodeId());
    const onDoomed = names.filter((n) => before.get(n) === doomed);
    expect(onDoomed.length).toBeGreaterThan(0);
    expect(onDoomed.length).toBeLessThan(ROOMS);
    // Webhooks from both nodes reached the daemon: each node announced the rooms it hosts.
    await waitFor('room_started from every room', async () => {
      const started = new Set(
        (await listDeliveries(relay.url)).deliveries
          .map((x) => JSON.parse(x.body) as WebhookPayload)
          .filter((e) => e.event === 'room_started')
          .map((e) => e.room?.name),
      );
      return names.every((n) => started.has(n));
    });
    const accepted = 'livekit_gitops_webhook_events_total{event="room_started",outcome="accepted"}';
    expect(await metricValue(d.probeBase, accepted)).toBeGreaterThanOrEqual(ROOMS);
    const egressBefore = new Map<string, string>();
    for (const n of names) egressBefore.set(n, (await activeIn(survivor, n))[0]!.egressId);
    const sidBefore = new Map((await survivor.listRooms()).map((r) => [r.name, r.sid]));
    const cursor = (await listDeliveries(relay.url)).next;

    const killedAt = Date.now();
    await cluster.nodes[1]!.kill();
    await waitFor(
      'every declared room on the survivor',
      async () => {
        const now = await cluster.placement();
        return names.every((n) => now.get(n) === alive);
      },
      30_000,
    );
    const convergedMs = Date.now() - killedAt;

    // Nothing lost: all listed; no room_finished for the moved rooms (LiveKit sent none).
    const listedRooms = await survivor.listRooms();
    const listed = new Set(listedRooms.map((r) => r.name));
    const lost = names.filter((n) => !listed.has(n));
    const since = (await listDeliveries(relay.url, cursor)).deliveries
      .map((x) => JSON.parse(x.body) as WebhookPayload)
      .filter((e) => names.includes(e.room?.name ?? ''));
    expect(lost).toEqual([]);
    expect(since.filter((e) => e.event === 'room_finished')).toEqual([]);
    // The same rooms, moved: their sids are the ones LiveKit stored.
    for (const r of listedRooms.filter((x) => names.includes(x.name))) {
      expect(r.sid).toBe(sidBefore.get(r.name));
    }
    const restarted = since.filter((e) => e.event === 'room_started').length;
    // A moved room answers calls that need its node again (metadata update routes to it).
    const moved = onDoomed[0]!;
    await survivor.updateRoomMetadata(moved, 'moved');
    // One more resync after the move: still one recording per room, the same one as before.
    const resyncs = 'livekit_gitops_reconcile_total{result="success"}';
    const done = (await metricValue(d.probeBase, resyncs)) ?? 0;
    await waitFor(
      'another successful reconcile',
      async () => {
        return ((await metricValue(d.probeBase, resyncs)) ?? 0) > done;
      },
      20_000,
    );
    let duplicated = 0;
    for (const n of names) {
      const active = await activeIn(survivor, n);
      duplicated += Math.max(0, active.length - 1);
      expect(active.map((e) => e.egressId)).toEqual([egressBefore.get(n)]);
    }
    expect(duplicated).toBe(0);
    const ready = await fetch(`${d.probeBase}/readyz`);
    expect(ready.status).toBe(200);

    await recordFigures('one LiveKit node of two lost', {
      lost: lost.length,
      duplicated,
      convergedMs,
      note: `${onDoomed.length} of ${ROOMS} rooms on the lost node, ${restarted} room_started after the move; resync interval ${INTERVAL_S} s`,
    });
  });
});
