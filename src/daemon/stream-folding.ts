/**
 * The leader's side of the webhook stream: while it leads, it first claims and folds what a
 * previous leader read but never acknowledged, then folds new entries as they arrive. An entry is
 * acknowledged only in the status write that persists its fold (the status sink takes the ids
 * from `acks`), so a leader killed between fold and write leaves it pending for the next one.
 */
import type { Logger } from 'pino';
import type { WebhookEventData } from '../adapters/livekit/index.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { AckQueue } from '../adapters/stream/ack-queue.ts';
import type { StreamEntry, StreamReader } from '../adapters/stream/event-stream.ts';
import type { WebhookFold } from './webhook-fold.ts';

export interface StreamFoldingOptions {
  reader: StreamReader;
  fold: WebhookFold;
  acks: AckQueue;
  metrics: DaemonMetrics;
  log: Logger;
  /** Aborted when this process stops leading (or stops): the loop ends. */
  signal: AbortSignal;
  /** Entries per read; default 100. */
  batch?: number;
  /** How long a read waits for new entries, so an ended term is noticed; default 500 ms. */
  blockMs?: number;
}

const RETRY_MS = 1000;

/** Runs until `signal` aborts; resolves then (errors are logged and retried). */
export async function runStreamFolding(o: StreamFoldingOptions): Promise<void> {
  const batch = o.batch ?? 100;
  const blockMs = o.blockMs ?? 500;
  let claimed = false;

  function foldEntry(entry: StreamEntry): void {
    let ev: WebhookEventData | undefined;
    try {
      ev = JSON.parse(entry.payload) as WebhookEventData;
    } catch {
      ev = undefined;
    }
    if (!ev?.id || !ev.event) {
      // Cannot be folded ever: acknowledged so that it does not block the backlog.
      o.log.warn({ entry: entry.entryId }, 'unreadable webhook stream entry skipped');
    } else {
      const outcome = o.fold(ev);
      o.metrics.webhookEvents.inc({ event: ev.event, outcome });
    }
    o.acks.push(entry.entryId);
  }

  while (!o.signal.aborted) {
    try {
      if (!claimed) {
        const pending = await o.reader.claimPending(batch);
        if (o.signal.aborted) break;
        if (pending.length > 0) {
          o.log.info(
            { entries: pending.length },
            'folding webhooks a previous leader left pending',
          );
        }
        for (const e of pending) foldEntry(e);
        claimed = true;
      }
      const entries = await o.reader.read(batch, blockMs);
      // Read after the term ended: left pending, the next leader claims them.
      if (o.signal.aborted) break;
      for (const e of entries) foldEntry(e);
    } catch (err) {
      if (o.signal.aborted) break;
      o.log.warn({ err: (err as Error).message }, 'webhook stream read failed; retrying');
      // After a failure the group may have been recreated (Redis restarted): claim again.
      claimed = false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, RETRY_MS);
        o.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
      });
    }
  }
  o.reader.close();
}
