import { WebhookReceiver } from 'livekit-server-sdk';
import type {
  LiveEgress,
  LiveIngress,
  LiveParticipant,
  LiveRoom,
  LiveTrack,
} from '../../core/live.ts';
import {
  toLiveEgress,
  toLiveIngress,
  toLiveParticipant,
  toLiveRoom,
  toLiveTrack,
} from './convert.ts';

/** A verified LiveKit webhook as plain data. */
export interface WebhookEventData {
  /** `room_started`, `participant_joined`, `track_published`, `egress_ended`, ... */
  event: string;
  /** Unique per event: use it to drop duplicates. */
  id: string;
  /** Unix milliseconds (LiveKit sends whole seconds). */
  createdAtMs: number;
  room?: LiveRoom;
  participant?: LiveParticipant;
  track?: LiveTrack;
  egress?: LiveEgress;
  ingress?: LiveIngress;
}

export type WebhookRejection = 'missing_header' | 'bad_signature' | 'body_mismatch' | 'malformed';

/** A webhook that did not come from our LiveKit (or was altered on the way). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly reason: WebhookRejection;
  constructor(reason: WebhookRejection, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Checks the `Authorization` JWT (signed with the API secret, `iss` = API key) and that its
 * `sha256` claim matches the exact raw body, then parses the event. LiveKit sends the raw JWT,
 * without `Bearer`; a `Bearer ` prefix is tolerated.
 */
export async function verifyWebhook(
  creds: { apiKey: string; apiSecret: string },
  rawBody: string,
  authHeader: string | undefined,
): Promise<WebhookEventData> {
  const token = authHeader?.replace(/^Bearer\s+/i, '').trim();
  if (!token) throw new WebhookVerificationError('missing_header', 'authorization header is empty');
  const receiver = new WebhookReceiver(creds.apiKey, creds.apiSecret);
  let ev;
  try {
    ev = await receiver.receive(rawBody, token);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/sha256/.test(msg)) throw new WebhookVerificationError('body_mismatch', msg);
    if (err instanceof SyntaxError) throw new WebhookVerificationError('malformed', msg);
    // jose's messages describe the failure (signature, expiry, issuer) and never echo the token.
    throw new WebhookVerificationError('bad_signature', `invalid webhook token: ${msg}`);
  }
  const out: WebhookEventData = {
    event: ev.event,
    id: ev.id,
    createdAtMs: Number(ev.createdAt) * 1000,
  };
  if (ev.room) out.room = toLiveRoom(ev.room);
  if (ev.participant) out.participant = toLiveParticipant(ev.participant);
  if (ev.track) out.track = toLiveTrack(ev.track);
  if (ev.egressInfo) out.egress = toLiveEgress(ev.egressInfo);
  if (ev.ingressInfo) out.ingress = toLiveIngress(ev.ingressInfo);
  return out;
}
