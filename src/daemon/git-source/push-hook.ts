/**
 * `POST /hooks/git`: a push webhook as GitHub (and Gitea, Forgejo) send it, authenticated by the
 * `X-Hub-Signature-256` HMAC of the raw body. Only a push to the configured ref triggers a sync;
 * the payload's commit is not trusted for anything else (the daemon fetches the ref itself).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HookHandler, HttpReply } from '../../adapters/webhook/http-server.ts';

export interface PushHookOptions {
  secret: string;
  /** The full ref that triggers (`refs/heads/main`). */
  ref: string;
  trigger(after: string | undefined): void;
  /** False while standing by for the lock: the active daemon owns the checkouts. */
  active: () => boolean;
  /** For metrics and logs: accepted, ignored, or why it was refused. */
  outcome(outcome: 'accepted' | 'ignored' | 'bad_signature' | 'bad_payload' | 'standby'): void;
}

type HookHeaders = Parameters<HookHandler>[1];

function header(h: HookHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** True when `signature` is `sha256=<hex HMAC of body>`, compared in constant time. */
export function validSignature(
  secret: string,
  body: string,
  signature: string | undefined,
): boolean {
  if (signature === undefined || !signature.startsWith('sha256=')) return false;
  const want = createHmac('sha256', secret).update(body, 'utf8').digest();
  const got = Buffer.from(signature.slice('sha256='.length), 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The push payload, from a JSON body or GitHub's form encoding (`payload=<json>`). */
function payloadOf(body: string, contentType: string): unknown {
  const text = contentType.startsWith('application/x-www-form-urlencoded')
    ? (new URLSearchParams(body).get('payload') ?? '')
    : body;
  return JSON.parse(text) as unknown;
}

export function createPushHook(o: PushHookOptions): HookHandler {
  return (body: string, headers: HookHeaders): Promise<HttpReply> => {
    const reply = (status: number, text: string): Promise<HttpReply> =>
      Promise.resolve({ status, body: text + '\n' });
    if (!validSignature(o.secret, body, header(headers, 'x-hub-signature-256'))) {
      o.outcome('bad_signature');
      return reply(401, 'bad signature');
    }
    const event = header(headers, 'x-github-event') ?? 'push';
    if (event === 'ping') {
      o.outcome('ignored');
      return reply(200, 'pong');
    }
    let payload: { ref?: unknown; after?: unknown } | null = null;
    try {
      const parsed = payloadOf(body, header(headers, 'content-type') ?? '');
      if (typeof parsed === 'object' && parsed !== null) payload = parsed;
    } catch {
      payload = null;
    }
    if (!payload) {
      o.outcome('bad_payload');
      return reply(400, 'body is not a push payload');
    }
    if (event !== 'push' || payload.ref !== o.ref) {
      o.outcome('ignored');
      return reply(202, `ignored: not a push to ${o.ref}`);
    }
    if (!o.active()) {
      o.outcome('standby');
      return reply(503, 'standing by for the lock');
    }
    o.outcome('accepted');
    o.trigger(typeof payload.after === 'string' ? payload.after : undefined);
    return reply(202, 'sync started');
  };
}
