import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDaemonMetrics } from '../../../src/adapters/metrics/registry.ts';
import { createNotifier } from '../../../src/adapters/notify/notifier.ts';
import { createGitMetrics } from '../../../src/daemon/git-source/git-metrics.ts';

const dir = new URL('../../../docs/observability/', import.meta.url);
const METRIC = /\b(?:livekit_gitops|process|nodejs)_[a-z0-9_]+\b/g;

/** Every series name the daemon's /metrics has: histograms as _bucket, _sum and _count too. */
async function exported(): Promise<Set<string>> {
  const metrics = createDaemonMetrics({ queueDepth: () => 0 });
  // The git source and the notifier register theirs on the same registry when configured.
  createGitMetrics(metrics.registry);
  createNotifier({ sinks: [], secretValues: () => [], registry: metrics.registry });
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

function referenced(exprs: string[]): string[] {
  return [...new Set(exprs.flatMap((e) => e.match(METRIC) ?? []))].sort();
}

describe('docs/observability', () => {
  it('the Grafana dashboard queries only metrics the daemon exports', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', dir), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
      templating: { list: { query?: unknown }[] };
    };
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : '')),
    ];
    const names = referenced(exprs);
    expect(names.length).toBeGreaterThan(8);
    const have = await exported();
    expect(names.filter((n) => !have.has(n))).toEqual([]);
    // And every livekit_gitops metric is on the dashboard.
    const own = [...have].filter(
      (n) => n.startsWith('livekit_gitops_') && !/_(sum|count)$/.test(n),
    );
    const shown = new Set(names.map((n) => n.replace(/_bucket$/, '')));
    expect(own.filter((n) => !shown.has(n.replace(/_bucket$/, '')))).toEqual([]);
  });

  it('the alert rules use only metrics the daemon exports', async () => {
    const rules = parse(readFileSync(new URL('alerts.yaml', dir), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBeGreaterThan(5);
    const have = await exported();
    expect(referenced(exprs).filter((n) => !have.has(n))).toEqual([]);
  });
});
