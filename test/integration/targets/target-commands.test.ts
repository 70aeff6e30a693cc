/**
 * `--target` on status, token, import and state show/unlock: two targets with their own state
 * directories and their own connection variable names; each command reads the state and the
 * connection of the target it is given, an unknown target exits 1 naming the known ones, and a
 * target whose variables are unset is told which variable and which target.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateBackend } from '../../../src/adapters/state/open-backend.ts';
import { makeWorkspace, runCli } from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { serverPort } from '../daemon/daemon-process.ts';

const lk = liveKitEnv();
const p = `tcmd-${randomBytes(3).toString('hex')}-`;
const CONFIG = [
  'targets:',
  '  a: { livekit: { urlEnv: A_URL, apiKeyEnv: A_KEY, apiSecretEnv: A_SECRET } }',
  '  b: { livekit: { urlEnv: B_URL, apiKeyEnv: B_KEY, apiSecretEnv: B_SECRET } }',
  '',
].join('\n');
const envA = { A_URL: lk.url, A_KEY: lk.apiKey, A_SECRET: lk.apiSecret };
const envB = { B_URL: lk.url, B_KEY: lk.apiKey, B_SECRET: lk.apiSecret };
// Nothing listens on port 1: a target pointed there cannot be the one that answered.
const deadB = { B_URL: 'http://127.0.0.1:1', B_KEY: lk.apiKey, B_SECRET: lk.apiSecret };

function doc(kind: string, name: string, spec: Record<string, unknown>, targets?: string[]) {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind,
    metadata: targets ? { name, targets } : { name },
    spec,
  });
}

let ws: string;
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: ws, env: { LIVEKIT_URL: '', LIVEKIT_API_KEY: '', ...env } });

beforeAll(async () => {
  ws = await makeWorkspace({
    'livekit-gitops.yaml': CONFIG,
    'rooms/all.yaml': [
      doc('Room', `${p}a`, {}, ['a']),
      doc('Room', `${p}b`, {}, ['b']),
      doc('Role', 'guest', { grants: { roomJoin: true } }),
    ].join('\n---\n'),
  });
  for (const [t, env] of [
    ['a', envA],
    ['b', envB],
  ] as const) {
    const r = await cli(['apply', '--target', t, '--auto-approve'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
});

afterAll(async () => {
  const port = serverPort(lk);
  const rooms = await port.listRooms();
  await Promise.all(rooms.filter((r) => r.name.startsWith(p)).map((r) => port.deleteRoom(r.name)));
});

describe('--target on status, token, import and state', () => {
  it('state show and state unlock read the target’s own state', async () => {
    const shown = async (t: string) => {
      const r = await cli(['state', 'show', '--target', t, '--format', 'json']);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const parsed = (text: string) =>
      JSON.parse(text) as { lineage: string; lock: { id: string } | null };
    const [a, b] = [await shown('a'), await shown('b')];
    expect(a).toContain(`${p}a`);
    expect(a).not.toContain(`${p}b`);
    expect(b).toContain(`${p}b`);
    expect(b).not.toContain(`${p}a`);
    expect(parsed(a).lineage).not.toBe(parsed(b).lineage);

    const backendB = openStateBackend({ backend: 'file', dir: join(ws, '.livekit-gitops/b') }, ws);
    const lock = await backendB.acquireLock({ operation: 'apply' });
    expect(parsed(await shown('b')).lock?.id).toBe(lock.id);
    expect(parsed(await shown('a')).lock).toBeNull();
    const broke = await cli(['state', 'unlock', '--target', 'b', lock.id, '--force']);
    expect(broke.code).toBe(0);
    expect(await backendB.currentLock()).toBeUndefined();
    await lock.release().catch(() => undefined);
  });

  it('status and import reach the target’s own server', async () => {
    const statusOf = async (t: string, env: Record<string, string>) => {
      const r = await cli(['status', '--target', t, '--format', 'json'], env);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as { livekit: { reachable: boolean; error?: string } };
    };
    // b's variables point nowhere, a's at the server: each command uses its target's.
    expect((await statusOf('a', { ...envA, ...deadB })).livekit.reachable).toBe(true);
    expect((await statusOf('b', { ...envA, ...deadB })).livekit.reachable).toBe(false);
    const unset = await statusOf('b', envA);
    expect(unset.livekit.error).toContain('B_URL');
    expect(unset.livekit.error).toContain('target b');

    const imported = await cli(
      ['import', '--target', 'a', '--out', 'out-a', '--kinds', 'Room', '--match', `${p}*`],
      { ...envA, ...deadB },
    );
    expect(imported.code).toBe(0);
    expect((await readdir(join(ws, 'out-a'))).length).toBeGreaterThan(0);
    const failed = await cli(
      ['import', '--target', 'b', '--out', 'out-b', '--kinds', 'Room', '--match', `${p}*`],
      { ...envA, ...deadB },
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ECONNREFUSED');
    const noVars = await cli(['import', '--target', 'b', '--out', 'out-c'], envA);
    expect(noVars.code).toBe(1);
    expect(noVars.stderr).toContain('B_URL');
    expect(noVars.stderr).toContain('target b');
  });

  it('token signs with the target’s own key', async () => {
    const env = {
      A_KEY: 'key-of-a',
      A_SECRET: 'a'.repeat(32),
      B_KEY: 'key-of-b',
      B_SECRET: 'b'.repeat(32),
    };
    const issuer = async (t: string) => {
      const r = await cli(
        ['token', '--target', t, '--room', `${p}${t}`, '--identity', 'u', '--role', 'guest'],
        env,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const jwt = r.stdout
        .trim()
        .split(/\s+/)
        .find((w) => w.split('.').length === 3)!;
      return (
        JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iss: string }
      ).iss;
    };
    expect(await issuer('a')).toBe('key-of-a');
    expect(await issuer('b')).toBe('key-of-b');
    const unset = await cli(
      ['token', '--target', 'b', '--room', 'r', '--identity', 'u', '--role', 'guest'],
      { A_KEY: 'k', A_SECRET: 's' },
    );
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('B_KEY');
    expect(unset.stderr).toContain('target b');
  });

  it('an unknown target exits 1 and names the known ones, on every command', async () => {
    for (const args of [
      ['status'],
      ['token', '--room', 'r', '--identity', 'u', '--role', 'guest'],
      ['import', '--out', 'out-x'],
      ['state', 'show'],
      ['state', 'unlock', 'some-id', '--force'],
    ]) {
      const r = await cli([...args, '--target', 'nope'], { ...envA, ...envB });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('unknown target "nope"');
      expect(r.stderr, args.join(' ')).toContain('a, b');
    }
  });
});
