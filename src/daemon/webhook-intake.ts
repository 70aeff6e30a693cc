/**
 * What the daemon does with a webhook request: verify the signature over the raw body, drop an
 * id already folded, fold the event into its room's status and enqueue the room's key. Nothing
 * is written for a rejected request.
 */
import type { Logger } from 'pino';
import {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEventData,
} from '../adapters/livekit/index.ts';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import { foldEgress } from '../adapters/status/recording-status.ts';
import { foldEvent } from '../adapters/status/room-status.ts';
import type { LiveEgress } from '../core/live.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { HttpReply } from '../adapters/webhook/http-server.ts';
import type { Notify } from '../adapters/notify/events.ts';
import { recordingEndedEvent } from './notify-events.ts';
import type { SeenIds } from './seen-ids.ts';

export interface WebhookIntakeDeps {
  creds: { apiKey: string; apiSecret: string };
  seen: SeenIds;
  status: StatusStore;
  metrics: DaemonMetrics;
  log: Logger;
  now: () => Date;
  /** False while standing by for another daemon's lock: events are refused with 503. */
  active: () => boolean;
  enqueueRoom: (room: string) => void;
  /** The policy an egress belongs to (egress_* events fold its results under that name). */
  egressPolicyOf?: (e: LiveEgress) => string | undefined;
  /** Values scrubbed from egress errors and locations. */
  secretValues?: () => readonly string[];
  /** An ended recording of a policy goes to the notification sinks at once, with its files. */
  notify?: Notify;
  /** Called after each fold (the daemon persists seen ids lazily). */
  onFolded?: () => void;
}

function json(status: number, body: Record<string, unknown>): HttpReply {
  return { status, body: JSON.stringify(body) + '\n', contentType: 'application/json' };
}

/** The room an event is about (egress and ingress events name it in their info). */
export function eventRoom(ev: WebhookEventData): string | undefined {
  return ev.room?.name || ev.egress?.roomName || ev.ingress?.roomName || undefined;
}

export function createWebhookIntake(deps: WebhookIntakeDeps) {
  return async function handle(raw: string, authorization: string | undefined): Promise<HttpReply> {
    if (!deps.active()) {
      deps.metrics.webhookEvents.inc({ event: 'unknown', outcome: 'standby' });
      return json(503, { error: 'standing by for the state lock' });
    }
    let ev: WebhookEventData;
    try {
      ev = await verifyWebhook(deps.creds, raw, authorization);
    } catch (err) {
      const reason = err instanceof WebhookVerificationError ? err.reason : 'malformed';
      deps.metrics.webhookEvents.inc({ event: 'unknown', outcome: `rejected_${reason}` });
      // Never the header or the body: a forged token is still a token.
      deps.log.warn({ reason }, 'webhook rejected');
      return reason === 'malformed'
        ? json(400, { error: 'malformed webhook body' })
        : json(401, { error: 'invalid webhook signature' });
    }
    if (!ev.id || !ev.event) {
      deps.metrics.webhookEvents.inc({
        event: ev.event || 'unknown',
        outcome: 'rejected_malformed',
      });
      return json(400, { error: 'webhook event without id or type' });
    }
    if (deps.seen.has(ev.id)) {
      deps.metrics.webhookEvents.inc({ event: ev.event, outcome: 'duplicate' });
      return json(200, { status: 'duplicate', id: ev.id });
    }
    deps.seen.add(ev.id);
    const room = eventRoom(ev);
    if (room !== undefined) {
      const now = deps.now().toISOString();
      const egress = ev.egress;
      const policy = egress ? deps.egressPolicyOf?.(egress) : undefined;
      deps.status.update(room, (s) => {
        foldEvent(s, ev, now);
        if (egress) foldEgress(s, egress, policy, deps.secretValues?.() ?? []);
      });
      if (egress && policy !== undefined && ev.event === 'egress_ended') {
        const ended = recordingEndedEvent(egress, policy);
        if (ended) deps.notify?.(ended);
      }
      deps.enqueueRoom(room);
    }
    deps.onFolded?.();
    deps.metrics.webhookEvents.inc({ event: ev.event, outcome: 'accepted' });
    deps.log.debug({ event: ev.event, id: ev.id, room }, 'webhook folded');
    return json(200, { status: 'accepted', id: ev.id });
  };
}
