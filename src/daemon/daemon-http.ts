/**
 * The daemon's HTTP endpoints: webhooks go to the intake, `/healthz` and `/readyz` answer from
 * the daemon's health and readiness reasons, `/metrics` renders the registry. One listener serves
 * all of them, or, with `metricsListen`, the probes get their own (private) listener and `listen`
 * serves only the webhook path. It listens before the lease is held, so the probes answer while
 * the daemon stands by.
 */
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import {
  startHttpServer,
  type HookHandler,
  type HttpReply,
  type HttpServerOptions,
  type ProbeRoutes,
  type WebhookRoute,
} from '../adapters/webhook/http-server.ts';
import { probeReply } from './health.ts';

export interface DaemonHttpOptions {
  listen: { host: string; port: number };
  metricsListen?: { host: string; port: number };
  webhookPath: string;
  maxBodyBytes?: number;
  maxInFlight?: number;
  metrics: DaemonMetrics;
  onWebhook: (rawBody: string, authorization: string | undefined) => Promise<HttpReply>;
  /** Further POST endpoints beside the webhook (the git push hook), on the same listener. */
  hooks?: Readonly<Record<string, HookHandler>>;
  /** Why the daemon is stuck; empty when it is healthy. */
  unhealthyReasons(): string[];
  /** Why the daemon is not ready; empty when it is. */
  notReadyReasons(): string[];
  /** The dashboard, served wherever the probes are. */
  pages?: HttpServerOptions['pages'];
}

export interface DaemonHttp {
  host: string;
  port: number;
  /** Where the probes are: the same address unless `metricsListen` was given. */
  probes: { host: string; port: number };
  close(graceMs?: number): Promise<void>;
}

export async function startDaemonHttp(o: DaemonHttpOptions): Promise<DaemonHttp> {
  const { metrics } = o;
  const probes: ProbeRoutes = {
    healthz: () => probeReply('healthy', o.unhealthyReasons()),
    readyz: () => probeReply('ready', o.notReadyReasons()),
    metrics: async () => ({
      status: 200,
      body: await metrics.render(),
      contentType: metrics.contentType,
    }),
  };
  const webhook: WebhookRoute = {
    path: o.webhookPath,
    ...(o.maxBodyBytes !== undefined ? { maxBodyBytes: o.maxBodyBytes } : {}),
    ...(o.maxInFlight !== undefined ? { maxInFlight: o.maxInFlight } : {}),
    onWebhook: o.onWebhook,
    ...(o.hooks ? { hooks: o.hooks } : {}),
    onRejected: (reason) =>
      metrics.webhookEvents.inc({ event: 'unknown', outcome: `rejected_${reason}` }),
  };
  const main = await startHttpServer({
    ...o.listen,
    webhook,
    ...(o.metricsListen ? {} : { probes, ...(o.pages ? { pages: o.pages } : {}) }),
  });
  const separate = o.metricsListen
    ? await startHttpServer({
        ...o.metricsListen,
        probes,
        ...(o.pages ? { pages: o.pages } : {}),
      }).catch(async (err: unknown) => {
        await main.close(0);
        throw err;
      })
    : undefined;
  const probeServer = separate ?? main;
  return {
    host: main.host,
    port: main.port,
    probes: { host: probeServer.host, port: probeServer.port },
    async close(graceMs) {
      await Promise.all([main.close(graceMs), separate?.close(graceMs)]);
    },
  };
}
