import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/spec/config.ts';
import { checkSources } from '../../../src/spec/load.ts';
import {
  boundarySecrets,
  collectSecretValues,
  redactSecrets,
  resolveSecret,
  scrubSecrets,
} from '../../../src/spec/secrets.ts';
import { parseDuration } from '../../../src/spec/duration.ts';
import { didYouMean, formatDiagnostic } from '../../../src/core/diagnostics.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lkg-sec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets', () => {
  it('resolves fromEnv and fromFile (relative to the spec file), trimming one newline', () => {
    writeFileSync(path.join(dir, 'pw.txt'), 's3cr3t-file\n');
    expect(resolveSecret({ fromEnv: 'PW' }, { env: { PW: 'from-env' }, baseDir: dir })).toBe(
      'from-env',
    );
    expect(resolveSecret({ fromFile: 'pw.txt' }, { env: {}, baseDir: dir })).toBe('s3cr3t-file');
  });

  it('fails without the value in the message', () => {
    expect(() => resolveSecret({ fromEnv: 'MISSING' }, { env: {}, baseDir: dir })).toThrow(
      'environment variable MISSING is not set',
    );
    expect(() => resolveSecret({ fromFile: 'nope.txt' }, { env: {}, baseDir: dir })).toThrow(
      'cannot read secret file nope.txt: ENOENT',
    );
  });

  it('redacts references and scrubs collected values', () => {
    const text =
      'apiVersion: livekit-gitops/v1\nkind: SIPOutboundTrunk\nmetadata: { name: t }\nspec:\n  address: a\n  numbers: ["+1"]\n  authPassword: { fromEnv: SIP_PW }\n';
    const { specs, diagnostics } = checkSources([
      { file: path.join(dir, 'a.yaml'), display: 'a.yaml', text },
    ]);
    expect(diagnostics).toEqual([]);

    expect(redactSecrets(specs[0]?.spec)).toMatchObject({ authPassword: '(sensitive)' });
    const values = collectSecretValues(specs, boundarySecrets({ SIP_PW: 'hunter22' }).resolve);
    expect(values).toEqual(['hunter22']);
    expect(scrubSecrets('password=hunter22;', values)).toBe('password=(sensitive);');
  });
});

describe('project config', () => {
  it('is optional and defaults everything', async () => {
    const r = await loadConfig(mkdtempSync(path.join(dir, 'empty-')));
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toMatchObject({
      specPaths: ['rooms'],
      stateDir: '.livekit-gitops',
      statusDir: 'status',
      state: { backend: 'file' },
      prune: false,
      maxDeletes: 10,
      concurrency: 16,
      daemon: { listen: '127.0.0.1:8080', interval: '5m', webhookPath: '/webhook' },
    });
  });

  it('reads values and reports problems with positions', async () => {
    writeFileSync(
      path.join(dir, 'cfg.yaml'),
      'specPaths: [specs]\nstate:\n  redis: { address: "127.0.0.1:6379", password: { fromEnv: REDIS_PW } }\ndaemon:\n  interval: 30s\n',
    );
    const ok = await loadConfig(dir, 'cfg.yaml');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.config.state).toEqual({
      backend: 'redis',
      redis: {
        address: '127.0.0.1:6379',
        keyPrefix: 'livekit-gitops:',
        password: { fromEnv: 'REDIS_PW' },
      },
    });

    writeFileSync(path.join(dir, 'bad.yaml'), 'concurrency: 0\ndaemon: { listen: nowhere }\n');
    const bad = await loadConfig(dir, 'bad.yaml');
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['E_SCHEMA_RANGE', 1, 14],
      ['E_SCHEMA_FORMAT', 2, 19],
    ]);
  });

  it('reports a missing explicit config file', async () => {
    const r = await loadConfig(dir, 'absent.yaml');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E_NOT_FOUND']);
  });
});

describe('helpers', () => {
  it('parses durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90 minutes')).toBeUndefined();
  });

  it('suggests close names only', () => {
    expect(didYouMean('maxParticipnts', ['maxParticipants', 'metadata'])).toBe('maxParticipants');
    expect(didYouMean('zzz', ['maxParticipants', 'metadata'])).toBeUndefined();
  });

  it('formats a diagnostic', () => {
    expect(
      formatDiagnostic({
        code: 'E_CRON',
        severity: 'error',
        message: 'bad',
        file: 'a.yaml',
        line: 2,
        col: 3,
        hint: 'h',
      }),
    ).toBe('a.yaml:2:3  E_CRON  bad (h)');
  });
});
