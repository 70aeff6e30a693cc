import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { runCompositeAction, type StepResult } from '../../harness/github-action-runner.ts';
import { actionsEnv, repoRoot, type ActionsEnv } from '../../harness/github-cli.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';
import { liveKitEnv } from '../../harness/env.ts';

const token = 'ghs_ACTIONtestTOKEN_abcdef123456';
const headSha = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
let gh: GitHubTestServer | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await gh?.close();
  expect(gh?.violations).toEqual([]);
  gh = undefined;
});

/** A spec repository checkout: rooms/rooms.yaml plus any other files (livekit-gitops.yaml). */
function specRepo(spec: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-specs-'));
  mkdirSync(join(dir, 'rooms'));
  writeFileSync(join(dir, 'rooms', 'rooms.yaml'), spec);
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every job starts from a fresh checkout, as on a hosted runner: the workspace is not kept. */
function freshCheckout(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-checkout-'));
  cpSync(from, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The action's own checkout as a runner fetches it for `uses: owner/livekit-gitops@ref`: the
 * tracked files only, no node_modules, no dist/ (the default `version` installs and runs it).
 */
function actionCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-action-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  for (const file of files.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface JobInput {
  a: ActionsEnv;
  cwd: string;
  event: 'pull_request' | 'push';
  inputs?: Record<string, string>;
  /** Steps not to run (the runner-only ones are skipped anyway). */
  skip?: string[];
  /** Where the action is checked out; this repository (already installed) unless given. */
  actionPath?: string;
}

/** The composite action as the runner would run it, against the stand-in and the real server. */
async function runJob(job: JobInput): Promise<{ steps: StepResult[]; failed: boolean }> {
  const lk = liveKitEnv();
  const prEvent = JSON.parse(readFileSync(job.a.env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as {
    repository: Record<string, unknown>;
  };
  const repository = { ...prEvent.repository, default_branch: 'main' };
  const pushEvent = { ref: 'refs/heads/main', after: 'e'.repeat(40), repository };
  const eventPath = join(job.a.dir, `event-${job.event}.json`);
  const event = job.event === 'push' ? pushEvent : { ...prEvent, repository };
  writeFileSync(eventPath, JSON.stringify(event));
  return runCompositeAction({
    actionFile: join(repoRoot, 'action.yml'),
    inputs: {
      'livekit-url': lk.url,
      'livekit-api-key': lk.apiKey,
      'livekit-api-secret': lk.apiSecret,
      'github-token': token,
      ...job.inputs,
    },
    env: {
      ...job.a.env,
      GITHUB_EVENT_NAME: job.event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: job.event === 'push' ? 'refs/heads/main' : 'refs/pull/21/merge',
      // The install step runs for real, with the default `version`: the action's own checkout.
      GITHUB_ACTION_PATH: job.actionPath ?? repoRoot,
      // npm installs from its cache only (loopback-only tests): what `npm ci` here already fetched.
      npm_config_offline: 'true',
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? '',
    },
    event,
    cwd: job.cwd,
    workDir: job.a.dir,
    ...(job.skip ? { skip: job.skip } : {}),
  });
}

function outcomes(run: { steps: StepResult[] }): Record<string, string> {
  return Object.fromEntries(run.steps.map((s) => [s.name, s.outcome]));
}

function output(run: { steps: StepResult[] }): string {
  return run.steps.map((s) => s.stdout + s.stderr).join('');
}

describe('action.yml (composite action steps, as the runner runs them)', () => {
  it('on a pull request with invalid specs, from a fresh action checkout: status pending, then failure; no comment; the job fails', async () => {
    gh = await startGitHubServer({ token });
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 21, headSha });
    const cwd = specRepo(
      'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: lobby\nspec:\n  maxParticipants: many\n',
    );

    const actionPath = actionCheckout();
    const run = await runJob({
      a,
      cwd,
      event: 'pull_request',
      inputs: { target: 'staging' },
      actionPath,
    });

    expect(outcomes(run)).toMatchObject({
      'Install livekit-gitops': 'success',
      'Choose plan or apply': 'success',
      'Status pending': 'success',
      'Validate and plan': 'success',
      'Comment the plan': 'skipped',
      'Status result': 'failure',
      Apply: 'skipped',
    });
    expect(run.failed).toBe(true);
    // No npm release involved: the checkout got its runtime dependencies and ran from source.
    expect(existsSync(join(actionPath, 'node_modules', '.package-lock.json'))).toBe(true);
    expect(existsSync(join(actionPath, 'node_modules', 'vitest'))).toBe(false);
    expect(run.steps.find((s) => s.name === 'Validate and plan')?.stdout).toMatch(/E_SCHEMA_TYPE/);
    expect(gh.statuses.map((s) => [s.sha, s.context, s.state])).toEqual([
      [headSha, 'livekit-gitops/plan/staging', 'pending'],
      [headSha, 'livekit-gitops/plan/staging', 'failure'],
    ]);
    expect(gh.comments).toEqual([]);
    expect(output(run)).not.toContain(token);
  });

  it('on a valid pull request: plan comment and status; no rewrite; apply on main; then "No changes" in the same comment', async () => {
    gh = await startGitHubServer({ token });
    const lk = liveKitEnv();
    const rooms = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
    const prefix = `gh${randomBytes(3).toString('hex')}-`;
    cleanups.push(async () => {
      const mine = (await rooms.listRooms()).filter((r) => r.name.startsWith(prefix));
      await Promise.all(mine.map((r) => rooms.deleteRoom(r.name).catch(() => undefined)));
    });
    const spec = ['lobby', 'stage']
      .map(
        (n) =>
          `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: ${prefix}${n}\nspec:\n  maxParticipants: 25\n  emptyTimeout: 600\n`,
      )
      .join('---\n');
    // The CI setup docs/github.md describes: state in Redis, so every job (fresh checkout) sees it.
    const config = `state:\n  backend: redis\n  redis:\n    address: ${lk.redisAddress}\n    keyPrefix: '${prefix}state:'\n`;
    const repo = specRepo(spec, { 'livekit-gitops.yaml': config });
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 21, headSha });
    const inputs = { target: 'production' };
    const commentWrites = (): string[] =>
      gh
        ?.writes()
        .filter((r) => r.path.includes('/comments'))
        .map((r) => r.method) ?? [];
    const statesOf = (from: number): string[] =>
      gh?.statuses.slice(from).map((s) => `${s.context}=${s.state}`) ?? [];

    // 1. The pull request: pending -> success, one sticky comment with the plan, the job summary.
    const first = await runJob({ a, cwd: freshCheckout(repo), event: 'pull_request', inputs });
    expect(outcomes(first)).toMatchObject({
      'Install livekit-gitops': 'success',
      'Choose plan or apply': 'success',
      'Status pending': 'success',
      'Validate and plan': 'success',
      'Comment the plan': 'success',
      'Status result': 'success',
      Apply: 'skipped',
    });
    expect(first.failed).toBe(false);
    expect(statesOf(0)).toEqual([
      'livekit-gitops/plan/production=pending',
      'livekit-gitops/plan/production=success',
    ]);
    expect(gh.statuses[0]?.sha).toBe(headSha);
    expect(gh.statuses[1]?.description).toBe(
      'Plan: 2 to create, 0 to update, 0 to delete, 0 other.',
    );
    expect(gh.comments).toHaveLength(1);
    const comment = gh.comments[0];
    expect(comment?.issue).toBe(21);
    expect(comment?.body).toMatch(/^<!-- livekit-gitops:plan target=production -->/);
    expect(comment?.body).toContain(`+ room.${prefix}lobby`);
    expect(comment?.body).toContain(`+ room.${prefix}stage`);
    expect(commentWrites()).toEqual(['POST']);
    expect(readFileSync(a.stepSummaryPath, 'utf8')).toContain(`room.${prefix}lobby`);
    expect((await rooms.listRooms()).filter((r) => r.name.startsWith(prefix))).toEqual([]);

    // 2. A new push to the PR with the same specs: the same plan, so no comment write.
    const second = await runJob({ a, cwd: freshCheckout(repo), event: 'pull_request', inputs });
    expect(second.failed).toBe(false);
    expect(commentWrites()).toEqual(['POST']);
    expect(gh.comments).toHaveLength(1);
    expect(statesOf(2)).toEqual([
      'livekit-gitops/plan/production=pending',
      'livekit-gitops/plan/production=success',
    ]);

    // 3. Merged: a push to the default branch applies (mode auto -> apply), no GitHub writes.
    const writesBefore = gh.writes().length;
    const applied = await runJob({ a, cwd: freshCheckout(repo), event: 'push', inputs });
    expect(outcomes(applied)).toMatchObject({
      'Install livekit-gitops': 'success',
      'Choose plan or apply': 'success',
      'Status pending': 'skipped',
      'Validate and plan': 'skipped',
      'Comment the plan': 'skipped',
      'Status result': 'skipped',
      Apply: 'success',
    });
    expect(applied.failed).toBe(false);
    expect(applied.steps.find((s) => s.name === 'Apply')?.stdout).toMatch(/Apply complete!/);
    expect(gh.writes()).toHaveLength(writesBefore);
    const live = (await rooms.listRooms())
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => [r.name, r.maxParticipants, r.emptyTimeout])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(live).toEqual([
      [`${prefix}lobby`, 25, 600],
      [`${prefix}stage`, 25, 600],
    ]);

    // 4. The next pull request run: nothing to do, and the same comment says so (edited in place).
    const after = await runJob({ a, cwd: freshCheckout(repo), event: 'pull_request', inputs });
    expect(after.failed).toBe(false);
    expect(commentWrites()).toEqual(['POST', 'PATCH']);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.id).toBe(comment?.id);
    expect(gh.comments[0]?.body).toContain('No changes');
    expect(gh.comments[0]?.body).not.toContain(`+ room.${prefix}lobby`);
    expect(statesOf(4)).toEqual([
      'livekit-gitops/plan/production=pending',
      'livekit-gitops/plan/production=success',
    ]);
    expect(gh.statuses[5]?.description).toMatch(/^No changes/);
    for (const run of [first, second, applied, after]) expect(output(run)).not.toContain(token);
  });
});
