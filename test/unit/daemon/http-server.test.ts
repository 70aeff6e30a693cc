import { afterEach, describe, expect, it } from 'vitest';
import {
  parseListen,
  startHttpServer,
  type HttpServer,
  type ProbeRoutes,
  type WebhookRoute,
} from '../../../src/adapters/webhook/http-server.ts';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let second: HttpServer | undefined;
afterEach(async () => {
  await second?.close();
  second = undefined;
});

function webhook(received: string[], rejected: string[]): WebhookRoute {
  return {
    path: '/hook',
    maxBodyBytes: 1024,
    onWebhook: (body, auth) => {
      received.push(`${auth ?? '-'}:${body}`);
      return Promise.resolve({ status: 200, body: 'ok' });
    },
    onRejected: (r) => rejected.push(r),
  };
}

const probes: ProbeRoutes = {
  healthz: () => ({ status: 200, body: 'ok\n' }),
  readyz: () => ({ status: 503, body: 'not yet' }),
  metrics: () => Promise.resolve({ status: 200, body: 'm 1\n' }),
};

async function start(received: string[], rejected: string[]): Promise<string> {
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    webhook: webhook(received, rejected),
    probes,
  });
  return `http://127.0.0.1:${server.port}`;
}

describe('daemon HTTP listener', () => {
  it('checks method, media type and size before handing over the raw body', async () => {
    const received: string[] = [];
    const rejected: string[] = [];
    const base = await start(received, rejected);
    const post = (body: string, type: string) =>
      fetch(`${base}/hook`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, authorization: 'jwt' },
      });

    expect((await fetch(`${base}/hook`)).status).toBe(405);
    expect((await post('{}', 'text/plain')).status).toBe(415);
    expect((await post('x'.repeat(2048), 'application/webhook+json')).status).toBe(413);
    expect((await post('{"a":1}', 'application/webhook+json; charset=utf-8')).status).toBe(200);
    expect((await post('{"b":2}', 'application/json')).status).toBe(200);
    expect(received).toEqual(['jwt:{"a":1}', 'jwt:{"b":2}']);
    expect(rejected).toEqual(['method', 'content_type', 'too_large']);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('m 1\n');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('split listeners: the webhook one serves only the webhook path, the probe one only the probes', async () => {
    const received: string[] = [];
    server = await startHttpServer({ host: '127.0.0.1', port: 0, webhook: webhook(received, []) });
    second = await startHttpServer({ host: '127.0.0.1', port: 0, probes });
    const pub = `http://127.0.0.1:${server.port}`;
    const priv = `http://127.0.0.1:${second.port}`;
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(`${pub}${path}`)).status).toBe(404);
    }
    const post = (base: string) =>
      fetch(`${base}/hook`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
    expect((await post(pub)).status).toBe(200);
    expect((await post(priv)).status).toBe(404);
    expect(received).toEqual(['-:{}']);
    expect((await fetch(`${priv}/healthz`)).status).toBe(200);
    expect((await fetch(`${priv}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${priv}/metrics`)).text()).toBe('m 1\n');
    expect((await fetch(`${priv}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('parses HOST:PORT', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen(':9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseListen('nohost')).toBeUndefined();
    expect(parseListen('h:99999')).toBeUndefined();
  });
});
