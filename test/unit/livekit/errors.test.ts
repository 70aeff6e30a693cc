import { ServerError } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { scrub, toLiveKitError } from '../../../src/adapters/livekit/errors.ts';

describe('toLiveKitError', () => {
  it('takes the kind from the Twirp code and keeps code, status and message', () => {
    const e = toLiveKitError(
      new ServerError('Not Found', 'requested room does not exist', 404, 'not_found'),
      'RoomService.DeleteRoom',
    );
    expect(e).toMatchObject({ kind: 'not_found', serverCode: 'not_found', status: 404 });
    expect(e.message).toBe('RoomService.DeleteRoom: requested room does not exist');
  });

  it.each([
    ['invalid_argument', 400, 'invalid'],
    ['unauthenticated', 401, 'unauthenticated'],
    ['failed_precondition', 412, 'conflict'],
    ['internal', 500, 'internal'],
    ['unavailable', 503, 'unavailable'],
    ['deadline_exceeded', 504, 'timeout'],
  ])('code %s → %s', (code, status, kind) => {
    expect(toLiveKitError(new ServerError('x', 'm', status, code), 'op').kind).toBe(kind);
  });

  it('falls back to the HTTP status for plain-text answers and scrubs tokens', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJrIn0.c2lnbmF0dXJl';
    const e = toLiveKitError(
      new ServerError('Unauthorized', `invalid token: ${jwt}, error: bad`, 401),
      'op',
      ['topsecretvalue'],
    );
    expect(e.kind).toBe('unauthenticated');
    expect(e.serverCode).toBeUndefined();
    expect(e.message).not.toContain(jwt);
  });

  it('maps fetch failures and timeouts', () => {
    const net = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    expect(toLiveKitError(net, 'op')).toMatchObject({ kind: 'unavailable', status: 0 });
    expect(toLiveKitError(net, 'op').message).toContain('ECONNREFUSED');
    const t = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toLiveKitError(t, 'op').kind).toBe('timeout');
  });

  it('removes given secrets from any message', () => {
    expect(scrub('key abcd1234 secret s3cr3t-value', ['s3cr3t-value', 'abcd1234'])).toBe(
      'key [redacted] secret [redacted]',
    );
  });
});
