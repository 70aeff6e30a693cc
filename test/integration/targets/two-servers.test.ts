/**
 * One spec repository, two deployments: a staging and a prod livekit-server on loopback, each with
 * its own Redis, reached through the variables each target names. A base and two overlays.
 */
import { rm, writeFile } from 'node:fs/promises';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, runCli, type CliResult } from '../../harness/cli.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';

let staging: LiveKitEnv;
let prod: LiveKitEnv;
let dir: string;
let env: Record<string, string>;

const CONFIG = `targets:
  staging:
    livekit: { urlEnv: STAGING_LIVEKIT_URL, apiKeyEnv: STAGING_LIVEKIT_API_KEY, apiSecretEnv: STAGING_LIVEKIT_API_SECRET }
    overlays: [targets/staging]
  prod:
    livekit: { urlEnv: PROD_LIVEKIT_URL, apiKeyEnv: PROD_LIVEKIT_API_KEY, apiSecretEnv: PROD_LIVEKIT_API_SECRET }
    overlays: [targets/prod]
`;

const BASE = `apiVersion: livekit-gitops/v1
kind: Room
metadata: { name: lobby }
spec:
  maxParticipants: 50
  metadata: { topic: Lobby }
---
apiVersion: livekit-gitops/v1
kind: Room
metadata:
  name: launch-day
  targets: [prod]
spec: { emptyTimeout: 900 }
`;

const STAGING = `kind: Room
metadata: { name: lobby }
spec:
  maxParticipants: 5
`;

const PROD = `kind: Room
metadata: { name: lobby }
spec:
  metadata: { topic: Lobby, tier: gold }
`;

function cli(args: string[], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, {
    cwd: dir,
    // The default LIVEKIT_* point nowhere: every call must go through a target's own variables.
    env: {
      ...env,
      LIVEKIT_URL: undefined,
      LIVEKIT_API_KEY: undefined,
      LIVEKIT_API_SECRET: undefined,
      ...extra,
    },
  });
}

async function roomsOf(lk: LiveKitEnv): Promise<Record<string, number>> {
  const rooms = await new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret).listRooms();
  return Object.fromEntries(rooms.map((r) => [r.name, r.maxParticipants]));
}

beforeAll(async () => {
  [staging, prod] = await Promise.all([startLiveKit(), startLiveKit()]);
  env = {
    STAGING_LIVEKIT_URL: staging.url,
    STAGING_LIVEKIT_API_KEY: staging.apiKey,
    STAGING_LIVEKIT_API_SECRET: staging.apiSecret,
    PROD_LIVEKIT_URL: prod.url,
    PROD_LIVEKIT_API_KEY: prod.apiKey,
    PROD_LIVEKIT_API_SECRET: prod.apiSecret,
  };
  dir = await makeWorkspace({
    'livekit-gitops.yaml': CONFIG,
    'rooms/base.yaml': BASE,
    'targets/staging/lobby.yaml': STAGING,
    'targets/prod/lobby.yaml': PROD,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([staging?.stop(), prod?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('targets: staging and prod servers from one repository', () => {
  it('validate --all-targets reports an error only an overlay introduces, at the overlay line', async () => {
    await writeFile(`${dir}/targets/prod/lobby.yaml`, PROD + '  maxParticipants: -3\n');
    const bad = await cli(['validate', '--all-targets']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /^targets\/prod\/lobby\.yaml:5:20 {2}E_SCHEMA_RANGE {2}.*\(target prod\)$/m,
    );
    expect(bad.stdout).toContain('target staging: Valid: 1 spec in 2 files.');
    // Nothing is planned for any target while one is invalid.
    const plan = await cli(['plan', '--all-targets']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('nothing was planned or applied for any target');
    await writeFile(`${dir}/targets/prod/lobby.yaml`, PROD);
    const good = await cli(['validate', '--all-targets']);
    expect(good.stdout).toBe(
      'target staging: Valid: 1 spec in 2 files.\ntarget prod: Valid: 2 specs in 2 files.\n',
    );
    expect(good.code).toBe(0);
  });

  it('plan --all-targets plans each target against its own server, with the overlay differences', async () => {
    const text = await cli(['plan', '--all-targets', '--detailed-exitcode']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    const [s, p] = text.stdout.split('=== target prod ===');
    expect(s).toContain('=== target staging ===');
    expect(s).toContain('+ room.lobby');
    expect(s).not.toContain('launch-day');
    expect(p).toContain('+ room.launch-day');

    const json = await cli(['plan', '--all-targets', '--format', 'json']);
    const plans = JSON.parse(json.stdout) as {
      targets: Record<string, { resource_changes: { name: string; change: { after: unknown } }[] }>;
    };
    expect(Object.keys(plans.targets)).toEqual(['staging', 'prod']);
    const lobby = (t: string) =>
      plans.targets[t]!.resource_changes.find((c) => c.name === 'lobby')?.change.after;
    expect(lobby('staging')).toMatchObject({
      maxParticipants: 5,
      metadata: JSON.stringify({ topic: 'Lobby' }),
    });
    expect(lobby('prod')).toMatchObject({
      maxParticipants: 50,
      metadata: JSON.stringify({ topic: 'Lobby', tier: 'gold' }),
    });
    const md = await cli(['plan', '--all-targets', '--format', 'markdown']);
    expect(md.stdout).toContain('### livekit-gitops plan for `staging`');
    expect(md.stdout).toContain('### livekit-gitops plan for `prod`');
  });

  it('a staging saved plan is refused for prod (exit 3); apply --target staging leaves prod untouched', async () => {
    const saved = await cli(['plan', '--target', 'staging', '--out', 'staging.json']);
    expect(saved.code).toBe(0);
    const refused = await cli(['apply', 'staging.json', '--target', 'prod']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'the saved plan was made for target staging and cannot be applied to target prod',
    );
    expect(await roomsOf(prod)).toEqual({});

    const applied = await cli(['apply', 'staging.json', '--target', 'staging']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(await roomsOf(staging)).toEqual({ lobby: 5 });
    expect(await roomsOf(prod)).toEqual({});

    const prodApply = await cli(['apply', '--target', 'prod', '--auto-approve']);
    expect(prodApply.code).toBe(0);
    // The document limited to prod exists only there.
    expect(await roomsOf(prod)).toEqual({ lobby: 50, 'launch-day': 0 });
    expect(await roomsOf(staging)).toEqual({ lobby: 5 });
    const after = await cli(['plan', '--all-targets', '--detailed-exitcode']);
    expect(after.code).toBe(0);
  });

  it('bad input: an unknown target, a target whose variable is unset', async () => {
    const unknown = await cli(['plan', '--target', 'qa']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown target "qa"; the targets are: staging, prod');
    const unset = await cli(['plan', '--all-targets'], { PROD_LIVEKIT_API_SECRET: undefined });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain(
      'set PROD_LIVEKIT_API_SECRET to reach the LiveKit server of target prod',
    );
    // The message names variables, never a value.
    expect(unset.stderr).not.toContain(prod.apiKey);
    expect(unset.stderr).not.toContain(staging.apiSecret);
  });
});
