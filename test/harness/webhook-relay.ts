import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook POST as LiveKit sent it. */
export interface WebhookDelivery {
  /** 0-based position in the relay's record. */
  seq: number;
  /** The raw body, byte for byte (the signature covers it). */
  body: string;
  authorization: string | undefined;
  contentType: string | undefined;
  receivedAtMs: number;
}

export interface WebhookRelay {
  /** Base URL of the control API (`/targets`, `/deliveries`). */
  url: string;
  /** The URL to give LiveKit as `webhook.urls`. */
  webhookUrl: string;
  stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MAX_DELIVERIES = 50_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/**
 * A tiny HTTP server that LiveKit's `webhook.urls` points at. It records every delivery and forwards
 * it verbatim to the targets tests register, so tests (and a daemon under test) decide where webhooks
 * go without restarting livekit-server.
 */
export async function startWebhookRelay(): Promise<WebhookRelay> {
  const deliveries: WebhookDelivery[] = [];
  const targets = new Set<string>();
  let dropped = 0;

  async function forward(d: WebhookDelivery): Promise<void> {
    const headers: Record<string, string> = {};
    if (d.authorization !== undefined) headers.authorization = d.authorization;
    if (d.contentType !== undefined) headers['content-type'] = d.contentType;
    await Promise.all(
      [...targets].map(async (target) => {
        try {
          const res = await fetch(target, {
            method: 'POST',
            headers,
            body: d.body,
            signal: AbortSignal.timeout(5_000),
          });
          await res.arrayBuffer();
        } catch {
          // A target that is down misses the event, as it would from LiveKit itself.
        }
      }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://relay');
    if (u.pathname === '/targets') {
      if (req.method === 'POST') {
        const { url } = JSON.parse(await readBody(req)) as { url?: unknown };
        if (typeof url !== 'string') return json(res, 400, { error: 'url required' });
        targets.add(url);
        return json(res, 200, { targets: [...targets] });
      }
      if (req.method === 'DELETE') {
        const url = u.searchParams.get('url');
        if (url === null) targets.clear();
        else targets.delete(url);
        return json(res, 200, { targets: [...targets] });
      }
      return json(res, 200, { targets: [...targets] });
    }
    if (u.pathname === '/deliveries' && req.method === 'GET') {
      const since = Math.max(0, Number(u.searchParams.get('since') ?? 0) - dropped);
      return json(res, 200, {
        deliveries: deliveries.slice(since),
        next: dropped + deliveries.length,
      });
    }
    if (req.method === 'POST') {
      const body = await readBody(req);
      const d: WebhookDelivery = {
        seq: dropped + deliveries.length,
        body,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        receivedAtMs: Date.now(),
      };
      deliveries.push(d);
      if (deliveries.length > MAX_DELIVERIES) {
        deliveries.shift();
        dropped++;
      }
      res.writeHead(200).end();
      await forward(d);
      return;
    }
    json(res, 404, { error: 'not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    webhookUrl: `${url}/webhook`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
