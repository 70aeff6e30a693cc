import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitSourceSettings } from '../../../src/cli/git-source-settings.ts';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { resolveGitAuth } from '../../../src/adapters/git/git-auth.ts';
import { loadConfig } from '../../../src/spec/config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lkg-gitcfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function configOf(text: string) {
  const file = path.join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return loadConfig(dir, file);
}

describe('source.git in livekit-gitops.yaml', () => {
  it('reports every problem at its file:line:col', async () => {
    const cfg = await configOf(
      [
        'source:',
        '  git:',
        '    url: https://bot:hunter2@git.example.com/org/rooms.git',
        '    interval: 0s',
        '    path: ../elsewhere',
        '',
      ].join('\n'),
    );
    const lines = cfg.diagnostics.map((d) => formatDiagnostic(d));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/:3:10 +E_SECRET_REF +source\.git\.url must not hold a credential/);
    expect(lines[1]).toMatch(/:4:15 +E_DURATION +source\.git\.interval must be longer than 0/);
    expect(lines[2]).toMatch(/:5:11 +E_SCHEMA_FORMAT +source\.git\.path/);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('auth is by reference only, and unknown fields are refused', async () => {
    const cfg = await configOf(
      [
        'source:',
        '  git:',
        '    url: git@github.com:org/rooms.git',
        '    auth: { token: abc }',
        '    branch: main',
        '',
      ].join('\n'),
    );
    const codes = cfg.diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(codes).toContain('5:E_UNKNOWN_FIELD');
    expect(codes.some((c) => c.startsWith('4:'))).toBe(true);
  });

  it('a valid block keeps its fields', async () => {
    const cfg = await configOf(
      [
        'source:',
        '  git:',
        '    url: ssh://git@git.example.com/org/rooms.git',
        '    ref: release',
        '    path: rooms',
        '    interval: 30s',
        '    auth: { sshKey: { fromFile: deploy_key } }',
        '    webhook: { secret: { fromEnv: HOOK_SECRET } }',
        '    verify: { allowedSigners: { fromFile: allowed_signers } }',
        '',
      ].join('\n'),
    );
    expect(cfg.diagnostics).toEqual([]);
    expect(cfg.config.source?.git).toMatchObject({
      ref: 'release',
      path: 'rooms',
      interval: '30s',
    });
  });
});

describe('git source settings', () => {
  it('flags beat the config; defaults fill the rest; references are resolved', async () => {
    writeFileSync(path.join(dir, 'allowed'), 'a namespaces="git" ssh-ed25519 AAAA\n');
    const cfg = await configOf(
      [
        'source:',
        '  git:',
        '    url: https://git.example.com/org/rooms.git',
        '    auth: { token: { fromEnv: GIT_TOKEN } }',
        '    webhook: { secret: { fromEnv: HOOK } }',
        '    verify: { allowedSigners: { fromFile: allowed } }',
        '',
      ].join('\n'),
    );
    const s = gitSourceSettings({ gitPath: 'rooms', gitInterval: '10s' }, cfg.config, {
      cwd: dir,
      env: { GIT_TOKEN: 'tok-123', HOOK: 'hook-456' },
    });
    expect(s?.config).toMatchObject({ ref: 'main', path: 'rooms', intervalMs: 10_000 });
    expect(s?.webhookSecret).toBe('hook-456');
    expect(s?.allowedSignersFile).toBe(path.join(dir, 'allowed'));
    expect(s?.auth.secrets).toContain('tok-123');
    expect(s?.workDir).toBe(path.join(dir, '.livekit-gitops', 'git'));
  });

  it('refuses what cannot work, naming the reference, never a value', async () => {
    const none = (await configOf('prune: false\n')).config;
    const io = { cwd: dir, env: {} };
    expect(gitSourceSettings({}, none, io)).toBeUndefined();
    expect(() => gitSourceSettings({ gitRef: 'main' }, none, io)).toThrow(
      '--git-ref needs a git source',
    );
    expect(() => gitSourceSettings({ gitUrl: 'https://u:p@h/r.git' }, none, io)).toThrow(
      'credential',
    );
    expect(() => gitSourceSettings({ gitUrl: 'ext::sh -c id' }, none, io)).toThrow('not allowed');
    expect(() => gitSourceSettings({ gitUrl: '/r.git', gitPath: '/etc' }, none, io)).toThrow(
      '--git-path',
    );
    const withToken = (
      await configOf(
        'source:\n  git:\n    url: https://h/r.git\n    auth: { token: { fromEnv: T } }\n',
      )
    ).config;
    expect(() => gitSourceSettings({}, withToken, io)).toThrow('environment variable T is not set');
  });
});

describe('git auth', () => {
  it('a token travels as a header in GIT_CONFIG_* variables, never in the URL or argv', () => {
    const a = resolveGitAuth(
      { token: { fromEnv: 'T' }, username: 'oauth2' },
      { env: { T: 's3cr3t' }, baseDir: dir },
    );
    const header = `Authorization: Basic ${Buffer.from('oauth2:s3cr3t').toString('base64')}`;
    expect(a.env).toMatchObject({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: header,
    });
    expect(a.secrets).toEqual(['s3cr3t', Buffer.from('oauth2:s3cr3t').toString('base64')]);
    expect(a.env['GIT_TERMINAL_PROMPT']).toBe('0');
  });

  it('an SSH key is a file named in GIT_SSH_COMMAND (quoted), in batch mode', () => {
    const key = path.join(dir, "it's key");
    writeFileSync(key, 'not really a key');
    const a = resolveGitAuth({ sshKey: { fromFile: "it's key" } }, { env: {}, baseDir: dir });
    expect(a.env['GIT_SSH_COMMAND']).toBe(
      `ssh -o BatchMode=yes -o IdentitiesOnly=yes -i '${dir}/it'\\''s key'`,
    );
    expect(a.secrets).toEqual([]);
    expect(() =>
      resolveGitAuth({ sshKey: { fromFile: 'missing' } }, { env: {}, baseDir: dir }),
    ).toThrow('auth.sshKey: cannot read missing');
  });
});
