/**
 * The SDK signs a new access token (an HMAC JWT through jose) for every call. A signed token is
 * valid for its whole TTL, so each client reuses the token of a grant until half its TTL is gone
 * (the other half absorbs clock skew and slow calls): one signature per grant per five minutes
 * instead of one per call.
 */
import type { RoomServiceClient } from 'livekit-server-sdk';

/** The SDK's TTL for service-client tokens (ServiceBase's default, `10m`). */
export const SERVICE_TOKEN_TTL_MS = 10 * 60_000;
const REUSE_FOR_MS = SERVICE_TOKEN_TTL_MS / 2;
/** Grants name rooms (roomAdmin per room); bounded so a long daemon run cannot grow it forever. */
const MAX_GRANTS = 10_000;

/** Every SDK service client (they share ServiceBase, which the SDK does not export). */
type Signer = Pick<RoomServiceClient, 'authHeader'>;
type Header = ReturnType<Signer['authHeader']>;

export function reuseSignedTokens<C extends Signer>(client: C, now: () => number = Date.now): C {
  const sign = client.authHeader.bind(client);
  const cache = new Map<string, { header: Header; signedAt: number }>();
  client.authHeader = (grant, sip) => {
    const key = JSON.stringify([grant, sip]);
    const t = now();
    const hit = cache.get(key);
    if (hit && t - hit.signedAt < REUSE_FOR_MS) return hit.header;
    if (cache.size >= MAX_GRANTS) cache.clear();
    const entry = { header: sign(grant, sip), signedAt: t };
    cache.set(key, entry);
    // A failed signature is not kept.
    entry.header.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.header;
  };
  return client;
}
