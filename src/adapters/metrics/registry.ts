/**
 * The daemon's Prometheus metrics: prom-client's default process metrics plus the reconciler's
 * own. One registry per daemon (never the global one), so tests can run several in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface DaemonMetrics {
  registry: Registry;
  reconcileTotal: Counter<'result'>;
  reconcileDuration: Histogram<'scope'>;
  workqueueDepth: Gauge;
  workqueueRetries: Counter;
  webhookEvents: Counter<'event' | 'outcome'>;
  specErrors: Gauge;
  livekitUp: Gauge;
  egressLost: Counter<'policy'>;
  egressStartFailures: Counter<'policy' | 'reason'>;
  egressActive: Gauge;
  agentDispatches: Counter<'result' | 'source'>;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  contentType: string;
}

export interface MetricsOptions {
  /** Read at scrape time (the queue owns the numbers). */
  queueDepth: () => number;
  /** Default process metrics (off in unit tests that build many registries). */
  defaults?: boolean;
}

export function createDaemonMetrics(opts: MetricsOptions): DaemonMetrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const reconcileTotal = new Counter({
    name: 'livekit_gitops_reconcile_total',
    help: 'Reconciles by result (success, error, held).',
    labelNames: ['result'] as const,
    registers,
  });
  const reconcileDuration = new Histogram({
    name: 'livekit_gitops_reconcile_duration_seconds',
    help: 'Time to observe, plan and apply one key (scope: full or room).',
    labelNames: ['scope'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const workqueueDepth = new Gauge({
    name: 'livekit_gitops_workqueue_depth',
    help: 'Keys waiting in the work queue (not counting delayed retries).',
    registers,
    collect() {
      this.set(opts.queueDepth());
    },
  });
  const workqueueRetries = new Counter({
    name: 'livekit_gitops_workqueue_retries_total',
    help: 'Keys re-queued after a failed reconcile (with backoff).',
    registers,
  });
  const webhookEvents = new Counter({
    name: 'livekit_gitops_webhook_events_total',
    help: 'Webhook requests by event type and outcome (accepted, duplicate, rejected reason).',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const specErrors = new Gauge({
    name: 'livekit_gitops_spec_errors',
    help: 'Spec errors currently reported (the last valid version of those files stays in force).',
    registers,
  });
  const livekitUp = new Gauge({
    name: 'livekit_gitops_livekit_up',
    help: '1 when the last call to LiveKit succeeded, 0 when the server was unreachable.',
    registers,
  });
  const egressLost = new Counter({
    name: 'livekit_gitops_egress_lost_total',
    help: 'Owned egresses found lost (listed ACTIVE, worker gone), by policy.',
    labelNames: ['policy'] as const,
    registers,
  });
  const egressStartFailures = new Counter({
    name: 'livekit_gitops_egress_start_failures_total',
    help: 'Recording starts that failed, by policy and reason (error, unanswered, failed: ended FAILED/ABORTED).',
    labelNames: ['policy', 'reason'] as const,
    registers,
  });
  const egressActive = new Gauge({
    name: 'livekit_gitops_egress_active',
    help: 'Egresses the recording policies own now (lost ones excluded).',
    registers,
  });
  const agentDispatches = new Counter({
    name: 'livekit_gitops_agent_dispatches_total',
    help: 'Agent dispatch results (created, replaced, deleted, failed, unanswered; adopted and lost found while settling), by source (Room, AgentPolicy, settle).',
    labelNames: ['result', 'source'] as const,
    registers,
  });
  return {
    registry,
    agentDispatches,
    reconcileTotal,
    reconcileDuration,
    workqueueDepth,
    workqueueRetries,
    webhookEvents,
    specErrors,
    livekitUp,
    egressLost,
    egressStartFailures,
    egressActive,
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
