import type { WebhookDelivery } from './webhook-relay.ts';

export type { WebhookDelivery };

/** The parsed body LiveKit sends (protobuf JSON of WebhookEvent, camelCase). */
export interface WebhookPayload {
  event?: string;
  id?: string;
  createdAt?: string;
  room?: { name?: string; sid?: string };
  participant?: { identity?: string; sid?: string };
  track?: { sid?: string; source?: string };
  egress?: { egressId?: string; roomName?: string; status?: string };
  [key: string]: unknown;
}

export interface DeliveryPage {
  deliveries: WebhookDelivery[];
  /** Pass as `since` to read only what arrives later. */
  next: number;
}

export async function listDeliveries(relayUrl: string, since = 0): Promise<DeliveryPage> {
  const res = await fetch(`${relayUrl}/deliveries?since=${since}`);
  if (!res.ok) throw new Error(`relay answered ${res.status}`);
  return (await res.json()) as DeliveryPage;
}

/** The relay's current position: deliveries after this are new. */
export async function deliveryCursor(relayUrl: string): Promise<number> {
  const res = await fetch(`${relayUrl}/deliveries?since=${Number.MAX_SAFE_INTEGER}`);
  return ((await res.json()) as DeliveryPage).next;
}

/** From now on the relay forwards every delivery to `url` as well (same body and headers). */
export async function addRelayTarget(relayUrl: string, url: string): Promise<void> {
  const res = await fetch(`${relayUrl}/targets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  if (!res.ok) throw new Error(`relay answered ${res.status}`);
}

export async function removeRelayTarget(relayUrl: string, url: string): Promise<void> {
  const res = await fetch(`${relayUrl}/targets?url=${encodeURIComponent(url)}`, {
    method: 'DELETE',
  });
  if (!res.ok) throw new Error(`relay answered ${res.status}`);
}

/**
 * Polls the relay until a delivery (at or after `since`) matches; throws after `timeoutMs`,
 * listing the events it did see.
 */
export async function waitForWebhook(
  relayUrl: string,
  predicate: (event: WebhookPayload, delivery: WebhookDelivery) => boolean,
  timeoutMs = 10_000,
  since = 0,
): Promise<{ event: WebhookPayload; delivery: WebhookDelivery }> {
  const deadline = Date.now() + timeoutMs;
  let cursor = since;
  const seen: string[] = [];
  for (;;) {
    const page = await listDeliveries(relayUrl, cursor);
    for (const d of page.deliveries) {
      let event: WebhookPayload;
      try {
        event = JSON.parse(d.body) as WebhookPayload;
      } catch {
        continue;
      }
      seen.push(`${event.event ?? '?'}(${event.room?.name ?? ''})`);
      if (predicate(event, d)) return { event, delivery: d };
    }
    cursor = page.next;
    if (Date.now() >= deadline) {
      throw new Error(
        `no matching webhook within ${timeoutMs} ms; saw: ${seen.slice(-20).join(', ') || 'none'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
