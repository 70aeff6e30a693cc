/**
 * What the daemon reports about itself as it runs: LiveKit reachable or not, and the result of
 * each full resync, into the metrics, `_daemon.yaml` and the log; readiness reads them back.
 */
import type { Logger } from 'pino';
import type { DaemonMetrics } from '../adapters/metrics/registry.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';

export interface SelfReports {
  /** Undefined until the first LiveKit call answered or failed. */
  livekitUp(): boolean | undefined;
  firstFullDone(): boolean;
  /** A new term of leadership: not ready until its own first full resync. */
  resetFirstFull(): void;
  readonly onReachability: (up: boolean) => void;
  readonly onFullResync: (ok: boolean, message?: string) => void;
}

export function createSelfReports(o: {
  metrics: DaemonMetrics;
  status: StatusStore;
  log: Logger;
  now: () => Date;
}): SelfReports {
  const { metrics, status, log } = o;
  let livekitUp: boolean | undefined;
  let firstFullDone = false;
  return {
    livekitUp: () => livekitUp,
    firstFullDone: () => firstFullDone,
    resetFirstFull: () => (firstFullDone = false),
    onReachability: (up) => {
      if (up === livekitUp) return;
      livekitUp = up;
      metrics.livekitUp.set(up ? 1 : 0);
      status.updateDaemon((d) => (d.livekitUp = up));
      if (up) log.info('LiveKit reachable');
      else log.warn('LiveKit unreachable; retrying with backoff');
    },
    onFullResync: (ok, message) => {
      if (ok && !firstFullDone) log.info('first full reconcile finished; ready');
      if (ok) firstFullDone = true;
      status.updateDaemon((d) => {
        d.lastFullResync = { time: o.now().toISOString(), result: ok ? 'success' : 'error' };
        if (message !== undefined) d.lastFullResync.message = message;
      });
    },
  };
}
