/**
 * The daemon's HTTP endpoints on the one listener: webhooks go to the intake, `/readyz` answers
 * from the daemon's readiness reasons, `/metrics` renders the registry. It listens before the
 * state lock is held, so `/healthz` answers while the daemon stands by.
 */
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import {
  startHttpServer,
  type HttpReply,
  type HttpServer,
} from '../adapters/webhook/http-server.ts';

export interface DaemonHttpOptions {
  listen: { host: string; port: number };
  webhookPath: string;
  maxBodyBytes?: number;
  metrics: DaemonMetrics;
  onWebhook: (rawBody: string, authorization: string | undefined) => Promise<HttpReply>;
  /** Why the daemon is not ready; empty when it is. */
  notReadyReasons(): string[];
}

export function startDaemonHttp(o: DaemonHttpOptions): Promise<HttpServer> {
  const { metrics } = o;
  return startHttpServer({
    host: o.listen.host,
    port: o.listen.port,
    webhookPath: o.webhookPath,
    ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
    onWebhook: o.onWebhook,
    onRejected: (reason) =>
      metrics.webhookEvents.inc({ event: 'unknown', outcome: `rejected_${reason}` }),
    readyz: () => {
      const reasons = o.notReadyReasons();
      return {
        status: reasons.length === 0 ? 200 : 503,
        body: JSON.stringify({ ready: reasons.length === 0, reasons }) + '\n',
        contentType: 'application/json',
      };
    },
    metrics: async () => ({
      status: 200,
      body: await metrics.render(),
      contentType: metrics.contentType,
    }),
  });
}
