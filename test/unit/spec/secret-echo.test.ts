/**
 * A validation error never quotes a value that is, or may be, a secret: a secret written inline,
 * a credential pasted where an environment variable's name belongs, a URL with credentials in it.
 * Every secret-bearing field of livekit-gitops.yaml and of the specs gets a secret-looking value,
 * and the CLI's output (text and JSON, validate, plan and daemon) must show none of them, while
 * still pointing at each problem.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mayQuote } from '../../../src/spec/echo-value.ts';

const main = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'lkg-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every secret planted below contains this marker; no output may. */
const MARK = 'S3CRET';

/** Inline secrets where a reference belongs, and secrets pasted as variable names. */
const inlineConfig = `
state:
  backend: redis
  redis: { address: "127.0.0.1:6379", password: "${MARK}-redis-pw" }
source:
  git:
    url: "https://bob:${MARK}-git-pw@git.example/acme/specs.git"
    auth: { token: "${MARK}-ghp-token" }
    webhook: { secret: "${MARK}-hook" }
targets:
  prod:
    livekit:
      urlEnv: "wss://${MARK}-url.example"
      apiKeyEnv: "${MARK}-apikey"
      apiSecretEnv: "${MARK}-apisecret"
    state: { address: "127.0.0.1:6379", password: "${MARK}-target-pw" }
notifications:
  sinks:
    - slack: { url: "https://hooks.slack.com/services/T0/B0/${MARK}-slack" }
    - webhook: { url: "https://hooks.example/x", secret: "${MARK}-hmac" }
    - webhook: { url: { fromEnv: "${MARK}-wh-url" }, secret: { fromEnv: "${MARK}-lower" } }
    - webhook: { url: "ftp://hooks.example/${MARK}-ftp", secret: { fromEnv: A } }
`;

/** Schema-valid, so the semantic checks run: credentials inside URLs. */
const urlConfig = `
source:
  git:
    url: "https://bob:${MARK}-git-pw@git.example/acme/specs.git"
    auth: { token: { fromEnv: "ghp_${MARK}0123456789abcdef" } }
notifications:
  sinks:
    - webhook: { url: "https://u:${MARK}-wh@hooks.example/x", secret: { fromEnv: WH } }
    - webhook: { url: "https://hooks.example/x?token=${MARK}-q", secret: { fromEnv: WH } }
`;

const specs = `apiVersion: livekit-gitops/v1
kind: RecordingPolicy
metadata: { name: rec }
spec:
  rooms: { match: ['webinar-*'] }
  roomComposite: { layout: speaker }
  outputs:
    - file:
        filepath: 'recordings/{room_name}.mp4'
        s3:
          bucket: rec
          endpoint: "https://ak:${MARK}-endpoint@s3.example"
          accessKey: "AKIA${MARK}"
          secret: { fromEnv: "wJalr${MARK}/K7MDENG" }
          sessionToken: 12345
---
apiVersion: livekit-gitops/v1
kind: SIPOutboundTrunk
metadata: { name: out }
spec:
  address: sip.example
  numbers: ['+15105550100']
  authPassword: "${MARK}-sip-pw"
---
apiVersion: livekit-gitops/v1
kind: SIPDispatchRule
metadata: { name: dial-in }
spec:
  rule:
    direct: { roomName: town-hall, pin: { fromEnv: "${MARK}-pin" } }
`;

function project(name: string, config: string): string {
  const root = path.join(dir, name);
  mkdirSync(path.join(root, 'rooms'), { recursive: true });
  writeFileSync(path.join(root, 'livekit-gitops.yaml'), config);
  writeFileSync(path.join(root, 'rooms', 'secrets.yaml'), specs);
  return root;
}

function cli(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, LIVEKIT_URL: 'http://127.0.0.1:9', WH: 'x', A: 'y' },
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('validation errors quote no secret', { timeout: 60_000 }, () => {
  const inline = project('inline', inlineConfig);
  const urls = project('urls', urlConfig);

  it.each([
    ['validate', ['validate']],
    ['validate --format json', ['validate', '--format', 'json']],
    ['validate --all-targets', ['validate', '--all-targets']],
    ['plan', ['plan']],
    ['daemon', ['daemon', '--listen', '127.0.0.1:0']],
  ])('%s: inline secrets and pasted credentials are pointed at, never shown', (_, args) => {
    const r = cli(inline, args);
    expect(r.code).not.toBe(0);
    expect(r.out).not.toContain(MARK);
    expect(r.out).not.toContain(MARK.toLowerCase());
  });

  it('every problem still has its position and field', () => {
    const r = cli(inline, ['validate']);
    for (const field of [
      'state.redis.password',
      'source.git.auth.token',
      'source.git.webhook.secret',
      'targets.prod.livekit.urlEnv',
      'targets.prod.livekit.apiKeyEnv',
      'targets.prod.livekit.apiSecretEnv',
      'targets.prod.state.password',
      'notifications.sinks[0].slack.url',
      'notifications.sinks[1].webhook.secret',
      'notifications.sinks[2].webhook.url.fromEnv',
      'notifications.sinks[2].webhook.secret.fromEnv',
      'notifications.sinks[3].webhook.url',
    ]) {
      expect(r.out).toMatch(
        new RegExp(`livekit-gitops\\.yaml:\\d+:\\d+ .*${field.replace(/[.[\]]/g, '\\$&')}`),
      );
    }
    expect(r.out).toContain('value not shown');
  });

  it('spec files: inline storage keys, SIP passwords and pins are not shown', () => {
    const r = cli(urls, ['validate', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain(MARK);
    const problems = (JSON.parse(r.out) as { errors: { path?: string }[] }).errors.map(
      (d) => d.path,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'source.git.auth.token.fromEnv',
        'spec.outputs[0].file.s3.accessKey',
        'spec.outputs[0].file.s3.secret.fromEnv',
        'spec.authPassword',
      ]),
    );
  });

  it('credentials inside URLs are refused without being quoted', () => {
    const fixed = urlConfig.replace(`ghp_${MARK}0123456789abcdef`, 'GIT_TOKEN');
    const root = project('urls-fixed', fixed);
    writeFileSync(path.join(root, 'rooms', 'secrets.yaml'), '');
    const r = cli(root, ['validate']);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain(MARK);
    expect(r.out).toContain('source.git.url must not hold a credential');
    expect(r.out).toMatch(/sinks\.0\.webhook\.url|webhook\.url holds a credential/);
  });

  it('ordinary values are still quoted', () => {
    expect(mayQuote(['spec', 'emptyTimeout'], '10m')).toBe(true);
    expect(mayQuote(['spec', 'layout'], 'speakr')).toBe(true);
    expect(mayQuote(['spec', 'authPassword'], 'x')).toBe(false);
    expect(mayQuote(['spec', 'endpoint'], 'https://u:p@s3.example')).toBe(false);
    expect(mayQuote(['metadata', 'name'], 'xoxb-1234567890-abcdef')).toBe(false);
  });
});
