import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSinks } from '../../../src/adapters/notify/sinks.ts';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { loadConfig } from '../../../src/spec/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lkg-notifycfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function configOf(text: string) {
  const file = path.join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return loadConfig(dir, file);
}

describe('notifications in livekit-gitops.yaml', () => {
  it('accepts both sink types and resolves their secrets from the environment', async () => {
    const cfg = await configOf(
      [
        'notifications:',
        '  sinks:',
        '    - slack: { url: { fromEnv: SLACK_URL } }',
        '      events: [drift, failed]',
        '      rooms: ["team-*"]',
        '    - name: ops',
        '      webhook: { url: "https://hooks.example.com/lk", secret: { fromEnv: HOOK_KEY } }',
        '      dedupWindow: 1m',
        '',
      ].join('\n'),
    );
    expect(cfg.diagnostics).toEqual([]);
    const env = { SLACK_URL: 'https://hooks.slack.example/T/B/xyz', HOOK_KEY: 'k3y' };
    const r = resolveSinks(cfg.config.notifications, env);
    expect(r.missing).toEqual([]);
    expect(r.secrets.sort()).toEqual(['https://hooks.slack.example/T/B/xyz', 'k3y']);
    expect(r.sinks.map((s) => [s.name, s.kind, [...s.events].length, s.dedupMs])).toEqual([
      ['slack-0', 'slack', 2, 300_000],
      ['ops', 'webhook', 6, 60_000],
    ]);
    expect(resolveSinks(cfg.config.notifications, {}).missing).toEqual(['SLACK_URL', 'HOOK_KEY']);
  });

  it('reports every problem at its file:line:col', async () => {
    const cfg = await configOf(
      [
        'notifications:',
        '  sinks:',
        '    - slack: { url: "https://hooks.slack.example/T/B/xyz" }',
        '    - webhook: { url: "https://u:pw@example.com/", secret: { fromEnv: K } }',
        '      dedupWindow: 0s',
        '    - webhook: { url: "https://example.com/", secret: { fromEnv: K } }',
        '      events: [drift, nonsense]',
        '',
      ].join('\n'),
    );
    const lines = cfg.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
    expect(lines).toMatch(/:3:\d+ +E_SCHEMA\w* +notifications\.sinks\[0\]\.slack\.url/);
    expect(lines).toMatch(/:7:\d+ +E_SCHEMA\w* +notifications\.sinks\[2\]\.events\[1\]/);
  });

  it('a URL with a credential in it is refused (schema-valid otherwise)', async () => {
    const cfg = await configOf(
      [
        'notifications:',
        '  sinks:',
        '    - webhook: { url: "https://u:pw@example.com/", secret: { fromEnv: K } }',
        '      dedupWindow: 0s',
        '',
      ].join('\n'),
    );
    const lines = cfg.diagnostics.map((d) => formatDiagnostic(d));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/:3:23 +E_SECRET_REF +webhook\.url holds a credential/);
    expect(lines[1]).toMatch(/:4:20 +E_DURATION +dedupWindow must be longer than 0/);
    expect(lines.join('\n')).not.toContain('pw@');
  });
});
