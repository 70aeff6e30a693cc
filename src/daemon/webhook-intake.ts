/**
 * What the daemon does with a webhook request: verify the signature over the raw body, then
 * either fold it at once (file backend: the active daemon only; a standby answers 503) or append
 * it to the shared Redis Stream (Redis backend: every replica; the leader folds it from there).
 * Nothing is written for a rejected request.
 */
import type { Logger } from 'pino';
import {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEventData,
} from '../adapters/livekit/index.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { EventStream } from '../adapters/stream/event-stream.ts';
import type { HttpReply } from '../adapters/webhook/http-server.ts';
import { eventRoom, type WebhookFold } from './webhook-fold.ts';

export { eventRoom };

export interface WebhookIntakeDeps {
  creds: { apiKey: string; apiSecret: string };
  metrics: DaemonMetrics;
  log: Logger;
  /** File backend: fold here, while `active()`. */
  fold?: WebhookFold;
  /** False while standing by for another daemon's lock: events are refused with 503. */
  active: () => boolean;
  /** Redis backend: append here, on every replica. */
  stream?: EventStream;
}

/** Seconds a refused sender should wait (LiveKit retries; so do load balancers' clients). */
const RETRY_AFTER_S = '1';

function json(status: number, body: Record<string, unknown>, retry = false): HttpReply {
  return {
    status,
    body: JSON.stringify(body) + '\n',
    contentType: 'application/json',
    ...(retry ? { headers: { 'retry-after': RETRY_AFTER_S } } : {}),
  };
}

export function createWebhookIntake(deps: WebhookIntakeDeps) {
  const { metrics, log } = deps;

  async function append(stream: EventStream, ev: WebhookEventData): Promise<HttpReply> {
    let result;
    try {
      result = await stream.append(ev.id, JSON.stringify(ev));
    } catch (err) {
      metrics.webhookEvents.inc({ event: ev.event, outcome: 'unavailable' });
      log.warn(
        { err: (err as Error).message, id: ev.id },
        'webhook not appended: Redis unavailable',
      );
      return json(503, { error: 'event stream unavailable' }, true);
    }
    if (result === 'full') {
      metrics.webhookEvents.inc({ event: ev.event, outcome: 'backlog_full' });
      return json(429, { error: 'too many events waiting to be folded' }, true);
    }
    metrics.webhookEvents.inc({
      event: ev.event,
      outcome: result === 'appended' ? 'accepted' : 'duplicate',
    });
    log.debug({ event: ev.event, id: ev.id, room: eventRoom(ev) }, `webhook ${result}`);
    return json(200, { status: result === 'appended' ? 'accepted' : 'duplicate', id: ev.id });
  }

  return async function handle(raw: string, authorization: string | undefined): Promise<HttpReply> {
    if (!deps.stream && !deps.active()) {
      metrics.webhookEvents.inc({ event: 'unknown', outcome: 'standby' });
      return json(503, { error: 'standing by for the state lock' }, true);
    }
    let ev: WebhookEventData;
    try {
      ev = await verifyWebhook(deps.creds, raw, authorization);
    } catch (err) {
      const reason = err instanceof WebhookVerificationError ? err.reason : 'malformed';
      metrics.webhookEvents.inc({ event: 'unknown', outcome: `rejected_${reason}` });
      // Never the header or the body: a forged token is still a token.
      log.warn({ reason }, 'webhook rejected');
      return reason === 'malformed'
        ? json(400, { error: 'malformed webhook body' })
        : json(401, { error: 'invalid webhook signature' });
    }
    if (!ev.id || !ev.event) {
      metrics.webhookEvents.inc({ event: ev.event || 'unknown', outcome: 'rejected_malformed' });
      return json(400, { error: 'webhook event without id or type' });
    }
    if (deps.stream) return append(deps.stream, ev);
    const outcome = deps.fold?.(ev) ?? 'folded';
    if (outcome === 'duplicate') {
      metrics.webhookEvents.inc({ event: ev.event, outcome: 'duplicate' });
      return json(200, { status: 'duplicate', id: ev.id });
    }
    metrics.webhookEvents.inc({ event: ev.event, outcome: 'accepted' });
    log.debug({ event: ev.event, id: ev.id, room: eventRoom(ev) }, 'webhook folded');
    return json(200, { status: 'accepted', id: ev.id });
  };
}
