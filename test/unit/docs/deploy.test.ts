import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../../src/spec/config.ts';
import { loadSpecs } from '../../../src/spec/load.ts';

const dir = new URL('../../../docs/deploy/', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'lkg-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    template: {
      spec: {
        containers: {
          args: string[];
          ports: { name: string; containerPort: number }[];
          livenessProbe: { httpGet: { path: string; port: string } };
          readinessProbe: { httpGet: { path: string; port: string } };
          envFrom: { secretRef: { name: string } }[];
        }[];
      };
    };
  };
}

const objects = parseAllDocuments(readFileSync(new URL('kubernetes.yaml', dir), 'utf8')).map(
  (d) => d.toJS() as K8sObject,
);
const byKind = (kind: string, name: string): K8sObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('docs/deploy/kubernetes.yaml', () => {
  it('probes /healthz and /readyz on the --metrics-listen port; the dashboard token from the Secret', () => {
    const daemon = byKind('Deployment', 'livekit-gitops')?.spec?.template.spec.containers[0];
    expect(daemon).toBeDefined();
    const args = daemon?.args ?? [];
    const metricsListen = args[args.indexOf('--metrics-listen') + 1] ?? '';
    const metricsPort = daemon?.ports.find((p) => p.name === 'metrics');
    expect(metricsListen).toBe(`0.0.0.0:${metricsPort?.containerPort}`);
    expect(daemon?.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(daemon?.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    const secret = byKind('Secret', daemon?.envFrom[0]?.secretRef.name ?? '');
    expect(Object.keys(secret?.stringData ?? {})).toEqual(
      expect.arrayContaining(['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']),
    );
    expect(secret?.stringData?.['LIVEKIT_GITOPS_DASHBOARD_TOKEN']).toBeDefined();
  });

  it('the ConfigMaps hold a config with Redis state and specs that validate', async () => {
    const config = byKind('ConfigMap', 'livekit-gitops-config')?.data?.['livekit-gitops.yaml'];
    writeFileSync(join(scratch, 'livekit-gitops.yaml'), config ?? '');
    const loaded = await loadConfig(scratch, 'livekit-gitops.yaml');
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.config.state?.backend).toBe('redis');
    const specDir = join(scratch, 'specs');
    mkdirSync(specDir);
    for (const [file, text] of Object.entries(
      byKind('ConfigMap', 'livekit-gitops-specs')?.data ?? {},
    ))
      writeFileSync(join(specDir, file), text);
    const specs = await loadSpecs([specDir], { cwd: scratch });
    expect(specs.diagnostics).toEqual([]);
    expect(specs.specs.map((s) => `${s.kind}/${s.name}`)).toEqual(['Room/lobby']);
  });
});
