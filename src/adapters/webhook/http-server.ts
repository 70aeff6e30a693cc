/**
 * A daemon HTTP listener: `POST <webhookPath>` (LiveKit's webhook URL) and/or the probes
 * `GET /healthz`, `GET /readyz`, `GET /metrics`. One listener serves both by default; with
 * `--metrics-listen` the daemon starts two, one with only the webhook (often public) and one
 * with only the probes (private). This layer checks only transport (method, media type, size)
 * and hands the raw body and `Authorization` header to the daemon, which verifies the signature.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpReply {
  status: number;
  body: string;
  contentType?: string;
  /** Extra response headers (`retry-after`). */
  headers?: Record<string, string>;
}

/** Why the transport layer refused a webhook request before looking at it. */
export type TransportRejection = 'method' | 'content_type' | 'too_large' | 'aborted' | 'busy';

export interface WebhookRoute {
  path: string;
  /** Larger bodies get 413 without being buffered; default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Webhook requests handled at once; more get 503 with Retry-After before their body is read,
   * so a flood's memory is bounded by this times the body limit. Default 256.
   */
  maxInFlight?: number;
  onWebhook(rawBody: string, authorization: string | undefined): Promise<HttpReply>;
  onRejected?(reason: TransportRejection): void;
  /** Further `POST` endpoints (the git push hook): path -> handler of the raw body and headers. */
  hooks?: Readonly<Record<string, HookHandler>>;
}

export interface ProbeRoutes {
  healthz(): HttpReply;
  readyz(): HttpReply;
  metrics(): Promise<HttpReply>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Absent: this listener has no webhook path. */
  webhook?: WebhookRoute;
  /** Absent: this listener serves no probes (they are on their own listener). */
  probes?: ProbeRoutes;
  /** Pages beside the probes (the dashboard): answers and returns true, or returns false. */
  pages?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export type HookHandler = (rawBody: string, headers: IncomingHttpHeaders) => Promise<HttpReply>;

export interface HttpServer {
  host: string;
  port: number;
  /**
   * Stops accepting and closes idle keep-alive connections at once; requests still in flight get
   * `graceMs` (default 1 s), then every socket is closed.
   */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** LiveKit sends `application/webhook+json`; plain JSON is accepted too. */
const WEBHOOK_TYPES = new Set(['application/webhook+json', 'application/json']);

function send(res: ServerResponse, r: HttpReply, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(r.status, {
    'content-type': r.contentType ?? 'text/plain; charset=utf-8',
    ...r.headers,
    ...headers,
  });
  res.end(r.body);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

type BodyResult = { ok: true; text: string } | { ok: false; why: 'too_large' | 'aborted' };

/** The raw body as a string, unless it passed `max` bytes (the rest is then discarded). */
function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        over
          ? { ok: false, why: 'too_large' }
          : { ok: true, text: Buffer.concat(chunks).toString('utf8') },
      ),
    );
    req.on('error', () => resolve({ ok: false, why: 'aborted' }));
    req.on('aborted', () => resolve({ ok: false, why: 'aborted' }));
  });
}

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  let inFlight = 0;
  async function webhook(
    hook: WebhookRoute,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (inFlight >= (hook.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)) {
      hook.onRejected?.('busy');
      send(res, { status: 503, body: 'busy\n', headers: { 'retry-after': '1' } });
      req.resume();
      return;
    }
    inFlight++;
    try {
      await webhookBody(hook, req, res);
    } finally {
      inFlight--;
    }
  }

  async function webhookBody(
    hook: WebhookRoute,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const max = hook.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (req.method !== 'POST') {
      hook.onRejected?.('method');
      return send(res, { status: 405, body: 'method not allowed\n' }, { allow: 'POST' });
    }
    if (!WEBHOOK_TYPES.has(mediaType(req))) {
      hook.onRejected?.('content_type');
      return send(res, { status: 415, body: 'want application/webhook+json\n' });
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > max) {
      hook.onRejected?.('too_large');
      send(res, { status: 413, body: 'body too large\n' }, { connection: 'close' });
      req.resume();
      return;
    }
    const body = await readBody(req, max);
    if (!body.ok && body.why === 'aborted') {
      hook.onRejected?.('aborted');
      return;
    }
    if (!body.ok) {
      hook.onRejected?.('too_large');
      return send(res, { status: 413, body: 'body too large\n' }, { connection: 'close' });
    }
    const auth = req.headers['authorization'];
    send(res, await hook.onWebhook(body.text, typeof auth === 'string' ? auth : undefined));
  }

  async function postHook(
    handler: HookHandler,
    maxBodyBytes: number | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (req.method !== 'POST') {
      return send(res, { status: 405, body: 'method not allowed\n' }, { allow: 'POST' });
    }
    const body = await readBody(req, maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!body.ok && body.why === 'aborted') return;
    if (!body.ok) {
      return send(res, { status: 413, body: 'body too large\n' }, { connection: 'close' });
    }
    send(res, await handler(body.text, req.headers));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (opts.webhook && path === opts.webhook.path) return webhook(opts.webhook, req, res);
    const hooks = opts.webhook?.hooks;
    const handler = hooks && Object.hasOwn(hooks, path) ? hooks[path] : undefined;
    if (handler) return postHook(handler, opts.webhook?.maxBodyBytes, req, res);
    const probes = opts.probes;
    if (!PROBE_PATHS.has(path) && opts.pages && (await opts.pages(req, res))) return;
    if (!probes || !PROBE_PATHS.has(path)) return send(res, { status: 404, body: 'not found\n' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, { status: 405, body: 'method not allowed\n' }, { allow: 'GET' });
    }
    if (path === '/healthz') return send(res, probes.healthz());
    if (path === '/readyz') return send(res, probes.readyz());
    send(res, await probes.metrics());
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => send(res, { status: 500, body: 'internal error\n' }));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  return {
    host: addr.address,
    port: addr.port,
    close: (graceMs = 1000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** `HOST:PORT` (IPv6 in brackets) into its parts. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]\s]*?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1] || '0.0.0.0', port };
}
