/**
 * The JSON webhook's signature: HMAC-SHA256 over `<timestamp>.<body>` with the sink's secret,
 * sent as `X-LiveKit-GitOps-Signature-256: sha256=<hex>` next to `X-LiveKit-GitOps-Timestamp`
 * (Unix seconds), so a receiver can refuse replays of old bodies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-LiveKit-GitOps-Signature-256';
export const TIMESTAMP_HEADER = 'X-LiveKit-GitOps-Timestamp';

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const want = Buffer.from(signBody(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}
