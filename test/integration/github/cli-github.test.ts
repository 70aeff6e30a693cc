import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan, ResourceChange } from '../../../src/core/plan.ts';
import { renderPlanJson } from '../../../src/core/render-json.ts';
import { liveKitCliEnv } from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { actionsEnv, runCli } from '../../harness/github-cli.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';

const token = 'ghs_RECOGNISABLEtoken_1234567890abcdef';
const headSha = '0123456789abcdef0123456789abcdef01234567';
const servers: GitHubTestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.close();
    expect(s.violations).toEqual([]);
  }
});

async function server(basePath?: string, serverToken = token): Promise<GitHubTestServer> {
  const s = await startGitHubServer({ token: serverToken, ...(basePath ? { basePath } : {}) });
  servers.push(s);
  return s;
}

function room(name: string, extra = ''): ResourceChange {
  return {
    address: `room.${name}`,
    kind: 'Room',
    name,
    action: 'create',
    actionReason: '',
    before: null,
    after: { name, maxParticipants: 10, metadata: extra },
    changedFields: [],
    sensitivePaths: [],
    payload: {},
  };
}

function writePlan(dir: string, changes: ResourceChange[], file = 'plan.json'): string {
  const plan: Plan = {
    formatVersion: '1.0',
    toolVersion: '0.1.0',
    createdAt: '2025-01-01T00:00:00.000Z',
    evaluatedAt: '2025-01-01T00:00:00.000Z',
    specHash: 's',
    liveHash: 'l',
    stateHash: 'h',
    changes,
    held: [],
    warnings: [],
  };
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(renderPlanJson(plan)));
  return path;
}

/** A spec checkout under the Actions temp dir: rooms/rooms.yaml. */
function writeSpecs(dir: string, yaml: string): string {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'rooms'), { recursive: true });
  writeFileSync(join(repo, 'rooms', 'rooms.yaml'), yaml);
  return repo;
}

describe('livekit-gitops github (CLI)', () => {
  it('plans the given spec paths itself (the same path as plan) and posts that plan', async () => {
    const gh = await server();
    const lk = liveKitEnv();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 8, headSha });
    const name = `ghc${randomBytes(3).toString('hex')}-lobby`;
    const repo = writeSpecs(
      a.dir,
      `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: ${name}\nspec:\n  maxParticipants: 7\n`,
    );

    const res = await runCli(
      ['github', 'comment', 'rooms', '--target', 'dev'],
      { ...a.env, ...liveKitCliEnv(lk) },
      repo,
    );

    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Plan comment created on pull request #8/);
    const body = gh.comments[0]?.body ?? '';
    expect(body).toMatch(/^<!-- livekit-gitops:plan target=dev -->/);
    expect(body).toContain(`+ room.${name}`);
    expect(body).toContain('Plan: 1 to create, 0 to update, 0 to delete, 0 other.');
    expect(readFileSync(a.stepSummaryPath, 'utf8')).toContain(`room.${name}`);
    // Planning changes nothing on the server.
    const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
    expect((await rooms.listRooms([name])).map((r) => r.name)).toEqual([]);
  });

  it('ends invalid specs with exit 1 and the diagnostics, posting nothing', async () => {
    const gh = await server();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 8, headSha });
    const repo = writeSpecs(
      a.dir,
      'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: lobby\nspec:\n  maxParticipants: many\n',
    );

    const res = await runCli(['github', 'comment', 'rooms'], a.env, repo);
    const both = await runCli(['github', 'comment', 'rooms', '--plan', 'plan.json'], a.env, repo);

    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/E_SCHEMA_TYPE/);
    expect(res.stderr).toMatch(/nothing was planned/);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/with --plan or --markdown, pass no paths/);
    expect(gh.requests).toEqual([]);
    expect(res.stdout + res.stderr).not.toContain(token);
  });

  it('creates the sticky comment, then makes no write for the same plan, then edits it in place', async () => {
    const gh = await server();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });
    const plan1 = writePlan(a.dir, [room('lobby')]);

    const first = await runCli(['github', 'comment', '--plan', plan1], a.env);
    const second = await runCli(['github', 'comment', '--plan', plan1], a.env);
    const plan2 = writePlan(a.dir, [room('lobby'), room('stage')], 'plan2.json');
    const third = await runCli(['github', 'comment', '--plan', plan2], a.env);

    expect([first.code, second.code, third.code]).toEqual([0, 0, 0]);
    expect(first.stdout).toMatch(/Plan comment created on pull request #12/);
    expect(second.stdout).toMatch(/unchanged/);
    expect(third.stdout).toMatch(/updated/);
    expect(gh.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toContain('room.stage');
    expect(gh.comments[0]?.body).toContain('actions/runs/4242');
    expect(readFileSync(a.stepSummaryPath, 'utf8')).toContain('room.lobby');
  });

  it('keeps a 70,000-character plan within 65,536 characters, the full plan in the job summary', async () => {
    const gh = await server();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 3, headSha });
    const changes = Array.from({ length: 70 }, (_, i) => room(`r${i}`, 'x'.repeat(1_000)));
    const plan = writePlan(a.dir, changes);

    const res = await runCli(['github', 'comment', '--plan', plan, '--target', 'prod'], a.env);

    expect(res.code).toBe(0);
    const body = gh.comments[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith('<!-- livekit-gitops:plan target=prod -->')).toBe(true);
    expect(body).toMatch(/truncated/i);
    expect(body).toContain('https://github.com/acme/specs/actions/runs/4242');
    expect(readFileSync(a.stepSummaryPath, 'utf8').length).toBeGreaterThan(70_000);
  });

  it('sets the commit status pending, then success with the summary line, on the PR head', async () => {
    const gh = await server('/api/v3');
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });
    const plan = writePlan(a.dir, [room('lobby')]);

    const pending = await runCli(['github', 'status', '--state', 'pending'], a.env);
    const success = await runCli(
      ['github', 'status', '--plan', plan, '--plan-exit-code', '2'],
      a.env,
    );

    expect([pending.code, success.code]).toEqual([0, 0]);
    expect(gh.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
    expect(gh.statuses.map((s) => [s.sha, s.context, s.state])).toEqual([
      [headSha, 'livekit-gitops/plan', 'pending'],
      [headSha, 'livekit-gitops/plan', 'success'],
    ]);
    expect(gh.statuses[1]?.description).toBe(
      'Plan: 1 to create, 0 to update, 0 to delete, 0 other.',
    );
    expect(gh.statuses[1]?.targetUrl).toBe('https://github.com/acme/specs/actions/runs/4242');
  });

  it('sets failure when planning failed (invalid specs: exit 1)', async () => {
    const gh = await server();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });

    const res = await runCli(
      ['github', 'status', '--plan-exit-code', '1', '--target', 'eu'],
      a.env,
    );

    expect(res.code).toBe(0);
    expect(gh.statuses[0]).toMatchObject({ context: 'livekit-gitops/plan/eu', state: 'failure' });
    expect(gh.statuses[0]?.description).toMatch(/invalid specs/);
  });

  it('retries a 403 secondary rate limit with Retry-After: 1 and succeeds', async () => {
    const gh = await server();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });
    gh.inject({
      operationId: 'issues/create-comment',
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    });

    const res = await runCli(
      ['github', 'comment', '--plan', writePlan(a.dir, [room('lobby')])],
      a.env,
    );

    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/secondary rate limit.*retrying in 1s/);
    expect(gh.writes().map((r) => r.status)).toEqual([403, 201]);
  });

  it('ends a 401 with a clear message and exit code 5, never printing the token', async () => {
    const gh = await server(undefined, 'ghs_someOtherToken');
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });

    const comment = await runCli(
      ['github', 'comment', '--plan', writePlan(a.dir, [room('x')])],
      a.env,
    );
    const status = await runCli(['github', 'status', '--state', 'pending'], a.env);

    for (const res of [comment, status]) {
      expect(res.code).toBe(5);
      expect(res.stderr).toMatch(/HTTP 401 Bad credentials/);
      expect(res.stderr).toMatch(/GITHUB_TOKEN/);
      expect(res.stdout + res.stderr).not.toContain(token);
    }
  });

  it('exits 5 with the reason when GitHub cannot be reached, without the token', async () => {
    const gh = await server();
    await gh.close();
    servers.length = 0;
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 12, headSha });

    const res = await runCli(
      // One retry (1 s backoff) instead of the default three (1 + 4 + 9 s) keeps the test short.
      ['github', 'status', '--state', 'pending', '--token-env', 'MY_TOKEN', '--retries', '1'],
      {
        ...a.env,
        MY_TOKEN: token,
      },
    );

    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/could not reach acme\/specs/);
    expect(res.stdout + res.stderr).not.toContain(token);
  });

  it('explains missing context as a usage error (exit 1)', async () => {
    const noToken = await runCli(['github', 'status', '--state', 'pending'], {
      GITHUB_REPOSITORY: 'a/b',
    });
    const noPr = await runCli(['github', 'comment', '--markdown', 'README.md'], {
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: 'a/b',
    });

    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/GITHUB_TOKEN is not set/);
    expect(noPr.code).toBe(1);
    expect(noPr.stderr).toMatch(/No pull request/);
  });
});
