import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';

/** A loopback HTTP endpoint for LiveKit's `webhook.urls` that keeps every verified event. */
export interface WebhookSink {
  url: string;
  events(): WebhookEvent[];
  /** Resolves with the first event (past or future) that matches; rejects after timeoutMs. */
  waitFor(match: (e: WebhookEvent) => boolean, timeoutMs?: number): Promise<WebhookEvent>;
  stop(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Events are checked with the SDK's WebhookReceiver (signature and body hash), as a daemon would. */
export async function startWebhookSink(apiKey: string, apiSecret: string): Promise<WebhookSink> {
  const receiver = new WebhookReceiver(apiKey, apiSecret);
  const events: WebhookEvent[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    void body(req).then(async (b) => {
      try {
        events.push(await receiver.receive(b, req.headers.authorization));
      } catch (err) {
        rejected.push((err as Error).message);
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  async function waitFor(
    match: (e: WebhookEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<WebhookEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = events.find(match);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seen = events.map((e) => `${e.event}:${e.egressInfo?.status ?? ''}`).join(', ');
    throw new Error(
      `no matching webhook after ${timeoutMs} ms; seen [${seen}]; rejected [${rejected.join('; ')}]`,
    );
  }

  return {
    url: `http://127.0.0.1:${port}/webhook`,
    events: () => [...events],
    waitFor,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
