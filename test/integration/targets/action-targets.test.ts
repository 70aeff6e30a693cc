/**
 * The composite action's steps with `targets: staging prod`, as the runner runs them, against the
 * GitHub stand-in and the real server: one sticky comment and one commit status per target on the
 * pull request; on the default branch `targets: staging` applies staging only.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { runCompositeAction } from '../../harness/github-action-runner.ts';
import { actionsEnv, repoRoot, type ActionsEnv } from '../../harness/github-cli.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';
import { liveKitEnv } from '../../harness/env.ts';

const token = 'ghs_TARGETStestTOKEN_abcdef123456';
const headSha = 'fedcbafedcbafedcbafedcbafedcbafedcbafedc';
const cleanups: (() => Promise<void> | void)[] = [];
let gh: GitHubTestServer | undefined;

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await gh?.close();
});

function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-targets-action-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fresh(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-targets-checkout-'));
  cpSync(from, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function runJob(a: ActionsEnv, cwd: string, event: 'pull_request' | 'push', targets: string) {
  const lk = liveKitEnv();
  const prEvent = JSON.parse(readFileSync(a.env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as {
    repository: Record<string, unknown>;
  };
  const repository = { ...prEvent.repository, default_branch: 'main' };
  const body =
    event === 'push' ? { ref: 'refs/heads/main', repository } : { ...prEvent, repository };
  const eventPath = join(a.dir, `event-${event}.json`);
  writeFileSync(eventPath, JSON.stringify(body));
  return runCompositeAction({
    actionFile: join(repoRoot, 'action.yml'),
    inputs: { targets, version: 'local', 'github-token': token },
    env: {
      ...a.env,
      // Each target reads the variables livekit-gitops.yaml names for it.
      STAGING_URL: lk.url,
      STAGING_KEY: lk.apiKey,
      STAGING_SECRET: lk.apiSecret,
      PROD_URL: lk.url,
      PROD_KEY: lk.apiKey,
      PROD_SECRET: lk.apiSecret,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: event === 'push' ? 'refs/heads/main' : 'refs/pull/21/merge',
      GITHUB_ACTION_PATH: repoRoot,
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? '',
    },
    event: body,
    cwd,
    workDir: a.dir,
  });
}

describe('action.yml with targets', () => {
  it('comments and sets a status per target on the pull request; applies staging only on main', async () => {
    gh = await startGitHubServer({ token });
    const lk = liveKitEnv();
    const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
    const p = `ga${randomBytes(3).toString('hex')}-`;
    cleanups.push(async () => {
      const mine = (await rooms.listRooms()).filter((r) => r.name.startsWith(p));
      await Promise.all(mine.map((r) => rooms.deleteRoom(r.name).catch(() => undefined)));
    });
    const target = (name: string, env: string) =>
      `  ${name}:\n    livekit: { urlEnv: ${env}_URL, apiKeyEnv: ${env}_KEY, apiSecretEnv: ${env}_SECRET }\n` +
      `    state: { backend: redis, address: '${lk.redisAddress}', keyPrefix: '${p}${name}:' }\n`;
    const room = (name: string, only: string) =>
      `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: ${p}${name}, targets: [${only}] }\nspec: { maxParticipants: 9 }\n`;
    const repo = checkout({
      'livekit-gitops.yaml': `targets:\n${target('staging', 'STAGING')}${target('prod', 'PROD')}`,
      'rooms/rooms.yaml': [room('stage-lobby', 'staging'), room('prod-lobby', 'prod')].join(
        '---\n',
      ),
    });
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 21, headSha });

    const pr = await runJob(a, fresh(repo), 'pull_request', 'staging prod');
    expect(pr.failed).toBe(false);
    expect(gh.statuses.map((s) => `${s.context}=${s.state}`)).toEqual([
      'livekit-gitops/plan/staging=pending',
      'livekit-gitops/plan/prod=pending',
      'livekit-gitops/plan/staging=success',
      'livekit-gitops/plan/prod=success',
    ]);
    expect(gh.comments.map((c) => c.body.split('\n', 1)[0])).toEqual([
      '<!-- livekit-gitops:plan target=staging -->',
      '<!-- livekit-gitops:plan target=prod -->',
    ]);
    expect(gh.comments[0]?.body).toContain(`+ room.${p}stage-lobby`);
    expect(gh.comments[0]?.body).not.toContain('prod-lobby');
    expect(gh.comments[1]?.body).toContain(`+ room.${p}prod-lobby`);

    const push = await runJob(a, fresh(repo), 'push', 'staging');
    expect(push.failed).toBe(false);
    expect(push.steps.find((s) => s.name === 'Apply')?.outcome).toBe('success');
    const live = (await rooms.listRooms()).filter((r) => r.name.startsWith(p)).map((r) => r.name);
    expect(live).toEqual([`${p}stage-lobby`]);
    for (const run of [pr, push]) {
      expect(run.steps.map((s) => s.stdout + s.stderr).join('')).not.toContain(token);
    }
    expect(gh.violations).toEqual([]);
    // Ten CLI runs and an install check: the bound leaves room for a loaded machine.
  }, 180_000);
});
