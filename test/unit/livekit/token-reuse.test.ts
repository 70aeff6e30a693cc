import { RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import {
  reuseSignedTokens,
  SERVICE_TOKEN_TTL_MS,
} from '../../../src/adapters/livekit/token-reuse.ts';

const KEY = 'APIreuse';
const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function client(now: () => number): RoomServiceClient {
  return reuseSignedTokens(new RoomServiceClient('http://127.0.0.1:1', KEY, SECRET), now);
}

const bearer = (h: Record<string, string>): string => (h['Authorization'] ?? '').slice(7);

describe('reuseSignedTokens', () => {
  it('signs once per grant and reuses the token for half its lifetime', async () => {
    let t = 1_000_000;
    const c = client(() => t);

    const first = bearer(await c.authHeader({ roomCreate: true }));
    const again = bearer(await c.authHeader({ roomCreate: true }));
    const other = bearer(await c.authHeader({ roomAdmin: true, room: 'a' }));
    t += SERVICE_TOKEN_TTL_MS / 2 - 1;
    const late = bearer(await c.authHeader({ roomCreate: true }));
    t += 1;
    const renewed = bearer(await c.authHeader({ roomCreate: true }));

    expect(again).toBe(first);
    expect(late).toBe(first);
    expect(other).not.toBe(first);
    // A different grant signs its own token; after half the TTL the grant is signed anew.
    const claims = await new TokenVerifier(KEY, SECRET).verify(renewed);
    expect(claims.video?.roomCreate).toBe(true);
    expect((await new TokenVerifier(KEY, SECRET).verify(other)).video?.room).toBe('a');
  });

  it('signs concurrent calls for one grant once', async () => {
    const c = client(Date.now);

    const headers = await Promise.all(
      Array.from({ length: 20 }, () => c.authHeader({ roomList: true })),
    );

    expect(new Set(headers.map(bearer)).size).toBe(1);
  });

  it('hands out tokens that stay valid for the rest of the reuse window', async () => {
    const c = client(Date.now);

    const claims = await new TokenVerifier(KEY, SECRET).verify(
      bearer(await c.authHeader({ roomCreate: true })),
    );

    const lifetimeMs = ((claims.exp ?? 0) - (claims.nbf ?? 0)) * 1000;
    expect(lifetimeMs).toBeGreaterThanOrEqual(SERVICE_TOKEN_TTL_MS);
  });
});
