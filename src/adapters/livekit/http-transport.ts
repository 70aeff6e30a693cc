/**
 * The SDK clients' Twirp transport, on node:http(s) with a keep-alive agent instead of the SDK's
 * fetch: the same requests (path, JSON body, headers, request id) and the same errors (the SDK's
 * TwirpError for an HTTP error, a TypeError with the socket error as `cause` for a network
 * failure, a TimeoutError past the client's timeout), at about half the CPU per call, which at
 * thousands of calls is CPU the LiveKit server on the same machine gets back.
 */
import { currentCallSignal } from './fenced.ts';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { TwirpError } from 'livekit-server-sdk';

/** What the SDK's clients call on their `rpc` (TwirpRpc.request). */
export interface TwirpTransport {
  request(
    service: string,
    method: string,
    data: unknown,
    headers: Record<string, string>,
    timeoutSeconds?: number,
  ): Promise<unknown>;
}

export interface HttpTransport extends TwirpTransport {
  /** Closes idle connections (a CLI run's sockets would otherwise keep it alive briefly). */
  close(): void;
}

const USER_AGENT = 'livekit-gitops';
/** Idle sockets close after this; below the usual server idle timeouts, so reuse rarely races. */
const IDLE_MS = 4_000;

function timeoutError(seconds: number): Error {
  const err = new Error(`request timed out after ${seconds} s`);
  err.name = 'TimeoutError';
  return err;
}

export function createHttpTransport(baseUrl: string, defaultTimeoutSeconds = 10): HttpTransport {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const agent = new (secure ? https : http).Agent({ keepAlive: true, timeout: IDLE_MS });
  const send = secure ? https.request : http.request;

  function once(
    path: string,
    body: string,
    headers: Record<string, string>,
    seconds: number,
  ): Promise<{ status: number; statusText: string; type: string; text: string; reused: boolean }> {
    return new Promise((resolve, reject) => {
      const req = send({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => req.destroy(timeoutError(seconds)), seconds * 1000);
      // A fenced call (the daemon's lease deadline, its shutdown) aborts the request itself.
      const signal = currentCallSignal();
      const abort = (): void => void req.destroy(signal?.reason as Error);
      if (signal?.aborted) abort();
      signal?.addEventListener('abort', abort, { once: true });
      req.once('close', () => signal?.removeEventListener('abort', abort));
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(Object.assign(err, { reusedSocket: req.reusedSocket }));
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.once('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            reused: req.reusedSocket,
          });
        });
      });
      req.end(body);
    });
  }

  return {
    async request(service, method, data, headers, timeoutSeconds = defaultTimeoutSeconds) {
      const path = `/twirp/livekit.${service}/${method}`;
      const body = JSON.stringify(data);
      const all = {
        'Content-Type': 'application/json;charset=UTF-8',
        'User-Agent': USER_AGENT,
        ...headers,
        'X-Livekit-Request-Id': randomUUID(),
      };
      let res;
      try {
        res = await once(path, body, all, timeoutSeconds);
      } catch (err) {
        // A kept-alive socket the server closed while idle: the request never reached it, so
        // sending it once more on a new connection cannot do the work twice.
        const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
        if (e.reusedSocket === true && e.code === 'ECONNRESET') {
          res = await once(path, body, all, timeoutSeconds).catch(toTransportError);
        } else {
          toTransportError(err);
        }
      }
      if (res.status >= 200 && res.status < 300) return JSON.parse(res.text) as unknown;
      throw twirpError(res);
    },
    close() {
      agent.destroy();
    },
  };
}

function toTransportError(err: unknown): never {
  if (err instanceof Error && err.name === 'TimeoutError') throw err;
  throw new TypeError('request failed', { cause: err });
}

/** As the SDK builds it: the server's code, message and metadata from a JSON Twirp error. */
function twirpError(res: { status: number; statusText: string; type: string; text: string }) {
  let message = res.text;
  let code: string | undefined;
  let meta: Record<string, string> | undefined;
  if (res.type === 'application/json') {
    try {
      const parsed = JSON.parse(res.text) as { msg?: string; code?: string; meta?: typeof meta };
      message = parsed.msg ?? 'Unknown internal error';
      code = parsed.code;
      meta = parsed.meta;
    } catch {
      message = 'Unknown internal error';
    }
  }
  return new TwirpError(res.statusText, message, res.status, code, meta);
}

/** Gives an SDK client this transport; a client without the expected `rpc` keeps its own. */
export function useTransport<C extends object>(client: C, transport: TwirpTransport): C {
  const holder = client as unknown as { rpc?: Partial<TwirpTransport> };
  if (typeof holder.rpc?.request === 'function') holder.rpc = transport;
  return client;
}
