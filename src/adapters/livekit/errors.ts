import { ServerError } from 'livekit-server-sdk';
import { LiveKitError, type LiveKitErrorKind } from '../../core/errors.ts';

/** Twirp codes (github.com/twitchtv/twirp errors.go) to our small set. */
const BY_CODE: Record<string, LiveKitErrorKind> = {
  not_found: 'not_found',
  bad_route: 'not_found',
  invalid_argument: 'invalid',
  out_of_range: 'invalid',
  malformed: 'invalid',
  unauthenticated: 'unauthenticated',
  permission_denied: 'unauthenticated',
  already_exists: 'conflict',
  failed_precondition: 'conflict',
  aborted: 'conflict',
  unavailable: 'unavailable',
  resource_exhausted: 'unavailable',
  deadline_exceeded: 'timeout',
  canceled: 'timeout',
  internal: 'internal',
  unknown: 'internal',
  unimplemented: 'internal',
  dataloss: 'internal',
};

function kindFromStatus(status: number): LiveKitErrorKind {
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  if (status === 401 || status === 403) return 'unauthenticated';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 502 || status === 503) return 'unavailable';
  return 'internal';
}

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/** Error text may echo a token (plain-text auth failures); credentials never leave the adapter. */
export function scrub(message: string, secrets: readonly string[] = []): string {
  let out = message.replace(JWT, '[redacted-token]');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out.length > 2_000 ? `${out.slice(0, 2_000)}…` : out;
}

function isNamed(err: unknown, ...names: string[]): err is Error {
  return (
    typeof err === 'object' &&
    err !== null &&
    'name' in err &&
    typeof err.name === 'string' &&
    names.includes(err.name)
  );
}

/** Network-level failure text (fetch wraps it as `TypeError: fetch failed` with a cause). */
function transportDetail(err: Error): string {
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const msg = typeof cause?.message === 'string' ? cause.message : undefined;
  return [err.message, code ?? msg].filter(Boolean).join(': ');
}

/**
 * Maps whatever the SDK or fetch threw to a LiveKitError that keeps the server's code and
 * message. `secrets` (API key and secret) are scrubbed from every message.
 */
export function toLiveKitError(
  err: unknown,
  operation: string,
  secrets: readonly string[] = [],
): LiveKitError {
  if (err instanceof LiveKitError) return err;
  if (err instanceof ServerError) {
    const code = typeof err.code === 'string' && err.code !== '' ? err.code : undefined;
    const kind = (code !== undefined ? BY_CODE[code] : undefined) ?? kindFromStatus(err.status);
    const text = err.message.trim() || err.name || `HTTP ${err.status}`;
    return new LiveKitError(kind, operation, scrub(text, secrets), {
      serverCode: code,
      status: err.status,
    });
  }
  if (isNamed(err, 'TimeoutError', 'AbortError')) {
    return new LiveKitError('timeout', operation, 'request timed out', { status: 0 });
  }
  if (err instanceof TypeError) {
    return new LiveKitError('unavailable', operation, scrub(transportDetail(err), secrets), {
      status: 0,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  // The SDK throws a plain Error when it cannot sign a request.
  const kind: LiveKitErrorKind = /api-key and api-secret/.test(message)
    ? 'unauthenticated'
    : 'internal';
  return new LiveKitError(kind, operation, scrub(message, secrets), { status: 0 });
}
