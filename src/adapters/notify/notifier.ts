/**
 * Delivers events to the sinks without ever holding up the caller: each sink has a bounded
 * in-memory queue drained by one loop (filter, de-duplication, rate limit, retries with capped
 * exponential backoff). A full queue drops the event and counts it; an event is delivered at
 * most once (no retry after a 2xx, none after a 4xx other than 408/429).
 */
import { createHash, randomUUID } from 'node:crypto';
import picomatch from 'picomatch';
import { Counter, type Registry } from 'prom-client';
import { scrubText } from '../../core/redact.ts';
import type { Notify, NotifyEvent } from './events.ts';
import { jsonBody, roomOf, slackBody } from './format.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from './sign.ts';
import type { SinkSettings } from './sinks.ts';

export interface NotifierOptions {
  sinks: readonly SinkSettings[];
  secretValues: () => readonly string[];
  registry?: Registry;
  warn?: (fields: Record<string, unknown>, message: string) => void;
  now?: () => number;
  queueLimit?: number;
  timeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}

export interface Notifier {
  notify: Notify;
  /** Resolves once every queue is empty or `ms` passed; later events are dropped. */
  close(ms: number): Promise<void>;
}

type Result = 'sent' | 'failed' | 'dropped' | 'deduplicated';

export function createNotifier(o: NotifierOptions): Notifier {
  const now = o.now ?? Date.now;
  const counter = new Counter({
    name: 'livekit_gitops_notifications_total',
    help: 'Notifications by sink and result (sent, failed, dropped, deduplicated).',
    labelNames: ['sink', 'result'] as const,
    registers: o.registry ? [o.registry] : [],
  });
  const count = (sink: SinkSettings, result: Result) => counter.inc({ sink: sink.name, result });
  let closed = false;
  const lanes = o.sinks.map((sink) => createLane(sink));

  function createLane(sink: SinkSettings) {
    const queue: { event: NotifyEvent; id: string; at: number }[] = [];
    const lastSent = new Map<string, number>();
    const sentAt: number[] = [];
    const inRoom = sink.rooms ? picomatch([...sink.rooms], { dot: true }) : () => true;
    let running: Promise<void> | undefined;
    let wake: (() => void) | undefined;
    const sleep = (ms: number) =>
      new Promise<void>((r) => {
        const t = setTimeout(r, ms);
        wake = () => (clearTimeout(t), r());
      });

    function offer(event: NotifyEvent): void {
      if (!sink.events.has(event.type)) return;
      const room = roomOf(event);
      if (room !== undefined && !inRoom(room)) return;
      const key = createHash('sha256').update(JSON.stringify(event)).digest('hex');
      const t = now();
      const last = lastSent.get(key);
      if (last !== undefined && t - last < sink.dedupMs) return count(sink, 'deduplicated');
      if (queue.length >= (o.queueLimit ?? 100)) return count(sink, 'dropped');
      lastSent.set(key, t);
      for (const [k, at] of lastSent) if (t - at >= sink.dedupMs) lastSent.delete(k);
      queue.push({ event, id: randomUUID(), at: t });
      running ??= drain().finally(() => (running = undefined));
    }

    async function drain(): Promise<void> {
      while (queue.length > 0 && !closed) {
        // At most ratePerMinute deliveries in any minute: wait for the oldest to age out.
        while (sentAt.length > 0 && now() - sentAt[0]! >= 60_000) sentAt.shift();
        if (sentAt.length >= sink.ratePerMinute) {
          await sleep(60_000 - (now() - sentAt[0]!));
          continue;
        }
        const item = queue.shift()!;
        sentAt.push(now());
        count(sink, (await deliver(item.event, item.id, item.at)) ? 'sent' : 'failed');
      }
    }

    async function deliver(event: NotifyEvent, id: string, at: number): Promise<boolean> {
      const secrets = o.secretValues();
      const raw =
        sink.kind === 'slack' ? slackBody(event) : jsonBody(event, id, new Date(at).toISOString());
      // The body is JSON; scrubbing covers raw and JSON-escaped forms of every secret.
      const body = scrubText(raw, secrets);
      const base = o.backoff?.baseMs ?? 500;
      for (let attempt = 0; attempt <= sink.retries; attempt++) {
        if (attempt > 0)
          await sleep(Math.min(base * 2 ** (attempt - 1), o.backoff?.maxMs ?? 30_000));
        if (closed) return false;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (sink.kind === 'webhook') {
          const ts = String(Math.floor(now() / 1000));
          headers[TIMESTAMP_HEADER] = ts;
          headers[SIGNATURE_HEADER] = signBody(sink.secret ?? '', ts, body);
        }
        try {
          const res = await fetch(sink.url, {
            method: 'POST',
            headers,
            body,
            signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return true;
          o.warn?.({ sink: sink.name, status: res.status, attempt }, 'notification refused');
          if (res.status < 500 && res.status !== 408 && res.status !== 429) return false;
        } catch (err) {
          // Never the URL (it may hold a token): only the sink's name and the error's message.
          const message = scrubText((err as Error).message, [...secrets, sink.url]);
          o.warn?.({ sink: sink.name, attempt, error: message }, 'notification failed');
        }
      }
      return false;
    }

    return {
      offer,
      idle: () => running ?? Promise.resolve(),
      stop: () => wake?.(),
    };
  }

  return {
    notify(event) {
      if (closed) return;
      for (const lane of lanes) lane.offer(event);
    },
    async close(ms) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((r) => (timer = setTimeout(r, ms)));
      await Promise.race([Promise.all(lanes.map((l) => l.idle())), bound]);
      clearTimeout(timer);
      closed = true;
      for (const l of lanes) l.stop();
    },
  };
}
