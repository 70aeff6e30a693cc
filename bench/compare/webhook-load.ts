/**
 * The webhook load generator: signed LiveKit events, all signed before the clock starts (the
 * benchmark measures the receiver, not the signer), posted `parallel` at a time over keep-alive
 * connections (fetch's own pool). The same events go to every receiver.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { percentile } from './processes.ts';

export interface SignedEvent {
  body: string;
  auth: string;
}

export async function signedEvents(
  count: number,
  rooms: number,
  creds: { apiKey: string; apiSecret: string },
): Promise<SignedEvent[]> {
  const events: SignedEvent[] = [];
  const now = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      event: 'participant_joined',
      id: `EV_${randomBytes(8).toString('hex')}`,
      createdAt: now,
      room: { name: `bench-${i % rooms}`, sid: 'RM_bench' },
      participant: { identity: `p${i}`, sid: `PA_${i}`, name: `P ${i}`, joinedAt: now },
    });
    const at = new AccessToken(creds.apiKey, creds.apiSecret, { ttl: '1h' });
    at.sha256 = createHash('sha256').update(body).digest('base64');
    events.push({ body, auth: await at.toJwt() });
  }
  return events;
}

export interface LoadResult {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function postAll(
  url: string,
  events: readonly SignedEvent[],
  parallel: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let e = events[next++]; e; e = events[next++]) {
        const t = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          body: e.body,
          headers: { 'content-type': 'application/webhook+json', authorization: e.auth },
        });
        await res.text();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(events.length / elapsed),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
