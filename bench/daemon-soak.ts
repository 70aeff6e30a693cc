/**
 * Soak: unique room names churned through signed webhooks (room_started, participant_joined,
 * participant_left, room_finished per room) for minutes, posted at once to two daemons on one
 * livekit-server: one with a short status retention, and the baseline with the default (24 h),
 * which keeps every room it ever heard of. Prints RSS, heap and status entries over time, and
 * each daemon's ratio of peaks: the last third of the run against the middle third (the first
 * third is warm-up).
 * Run: node bench/daemon-soak.ts [seconds] [roomsPerSecond]
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, roomYaml } from '../test/harness/cli.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import {
  metricValue,
  signedWebhook,
  startDaemonChild,
  waitFor,
  type DaemonChild,
} from '../test/integration/daemon/daemon-process.ts';
import { SMOKE, sizeArg } from './smoke.ts';

const seconds = sizeArg(0, 240, 4);
const perSecond = sizeArg(1, 10, 5);
const sampleMs = SMOKE ? 1_000 : 10_000;
const MiB = 2 ** 20;

interface Sample {
  t: number;
  rssMiB: number;
  heapMiB: number;
  statusRooms: number;
  statusFiles: number;
}

async function sample(d: DaemonChild, t: number): Promise<Sample> {
  const metric = async (name: string) => (await metricValue(d.base, name)) ?? 0;
  const files = await readdir(join(d.cwd, 'status')).catch(() => [] as string[]);
  return {
    t,
    rssMiB: +((await metric('process_resident_memory_bytes')) / MiB).toFixed(1),
    heapMiB: +((await metric('nodejs_heap_size_used_bytes')) / MiB).toFixed(1),
    statusRooms: await metric('livekit_gitops_status_rooms'),
    statusFiles: files.filter((f) => f.endsWith('.yaml') && f !== '_daemon.yaml').length,
  };
}

/** Peaks of the middle third (after warm-up) and of the last third: flat means equal. */
function summary(samples: readonly Sample[]) {
  const window = (from: number, to: number) => {
    const w = samples.filter((s) => s.t >= from && s.t <= to);
    return w.length > 0 ? w : samples.slice(-1);
  };
  const peak = (w: readonly Sample[], key: 'rssMiB' | 'heapMiB') =>
    Math.max(...w.map((s) => s[key]));
  const warm = window(seconds / 3, (2 * seconds) / 3);
  const end = window((2 * seconds) / 3, Infinity);
  const last = samples.at(-1);
  if (!last) throw new Error('no samples');
  return {
    warmPeakRssMiB: peak(warm, 'rssMiB'),
    endPeakRssMiB: peak(end, 'rssMiB'),
    rssRatio: +(peak(end, 'rssMiB') / peak(warm, 'rssMiB')).toFixed(3),
    warmPeakHeapMiB: peak(warm, 'heapMiB'),
    endPeakHeapMiB: peak(end, 'heapMiB'),
    heapRatio: +(peak(end, 'heapMiB') / peak(warm, 'heapMiB')).toFixed(3),
    maxStatusRooms: Math.max(...samples.map((s) => s.statusRooms)),
    endStatusRooms: last.statusRooms,
    endStatusFiles: last.statusFiles,
  };
}

const lk = await startLiveKit({ redis: false });
try {
  const common = ['--interval', SMOKE ? '1s' : '2s', '--rate-limit', '500', '--rate-burst', '500'];
  const start = async (retention: string | undefined) => {
    const ws = await makeWorkspace({ 'rooms/r.yaml': roomYaml('soak-declared') });
    const args = retention === undefined ? common : [...common, '--status-retention', retention];
    const d = await startDaemonChild(ws, lk, args);
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200, 60_000);
    return d;
  };
  const bounded = await start(SMOKE ? '1s' : '10s');
  const baseline = await start(undefined);
  const daemons = [bounded, baseline];

  let sent = 0;
  async function post(event: string, room: string, extra: Record<string, unknown> = {}) {
    const now = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({
      event,
      id: `EV_${randomBytes(8).toString('hex')}`,
      createdAt: now,
      room: { name: room, sid: `RM_${room}` },
      ...extra,
    });
    const auth = await signedWebhook(body, lk);
    await Promise.all(
      daemons.map(async (d) => {
        const res = await fetch(d.webhookUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/webhook+json', authorization: auth },
        });
        await res.text();
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      }),
    );
    sent++;
  }
  async function churn(i: number): Promise<void> {
    const room = `soak-${i}-${randomBytes(3).toString('hex')}`;
    const participant = {
      identity: `p-${i}`,
      sid: `PA_${i}`,
      name: `P ${i}`,
      joinedAt: String(Math.floor(Date.now() / 1000)),
    };
    await post('room_started', room);
    await post('participant_joined', room, { participant });
    await post('participant_left', room, { participant });
    await post('room_finished', room);
  }

  const samples = new Map<DaemonChild, Sample[]>(daemons.map((d) => [d, []]));
  const began = performance.now();
  const elapsed = () => (performance.now() - began) / 1000;
  let rooms = 0;
  let nextSample = 0;
  console.log('t(s)  bounded: rss heap MiB  status   |  baseline: rss heap MiB  status');
  while (elapsed() < seconds) {
    const tick = performance.now();
    await Promise.all(Array.from({ length: perSecond }, () => churn(rooms++)));
    if (elapsed() >= nextSample) {
      const t = Math.round(elapsed());
      const [b, u] = await Promise.all(daemons.map((d) => sample(d, t)));
      if (!b || !u) throw new Error('no sample');
      samples.get(bounded)?.push(b);
      samples.get(baseline)?.push(u);
      console.log(
        `${String(t).padStart(4)}  ${b.rssMiB} ${b.heapMiB}  ${b.statusRooms}  |  ${u.rssMiB} ${u.heapMiB}  ${u.statusRooms}`,
      );
      nextSample += sampleMs / 1000;
    }
    // One batch of rooms per second.
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
  }
  const result = {
    seconds,
    roomsPerSecond: perSecond,
    rooms,
    webhooks: sent,
    bounded: summary(samples.get(bounded) ?? []),
    baseline: summary(samples.get(baseline) ?? []),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  for (const d of daemons) await d.stop(30_000);
} finally {
  await lk.stop();
}
