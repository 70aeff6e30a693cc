import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCompositeAction } from '../../harness/github-action-runner.ts';
import { actionsEnv, repoRoot } from '../../harness/github-cli.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';
import { liveKitEnv } from '../../harness/env.ts';

const token = 'ghs_ACTIONtestTOKEN_abcdef123456';
const headSha = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
let gh: GitHubTestServer | undefined;

afterEach(async () => {
  await gh?.close();
  expect(gh?.violations).toEqual([]);
  gh = undefined;
});

/** A spec repository checkout with one file under rooms/. */
function specRepo(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-specs-'));
  mkdirSync(join(dir, 'rooms'));
  writeFileSync(join(dir, 'rooms', 'rooms.yaml'), spec);
  return dir;
}

describe('action.yml (composite action steps, as the runner runs them)', () => {
  it('on a pull request with invalid specs: status pending, then failure; no comment; the job fails', async () => {
    gh = await startGitHubServer({ token });
    const lk = liveKitEnv();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 21, headSha });
    const cwd = specRepo(
      'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata:\n  name: lobby\nspec:\n  maxParticipants: many\n',
    );
    const event = JSON.parse(readFileSync(a.env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as unknown;

    const run = await runCompositeAction({
      actionFile: join(repoRoot, 'action.yml'),
      inputs: {
        'livekit-url': lk.url,
        'livekit-api-key': lk.apiKey,
        'livekit-api-secret': lk.apiSecret,
        'github-token': token,
        target: 'staging',
      },
      env: {
        ...a.env,
        GITHUB_REF: 'refs/pull/21/merge',
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        LKG_CLI: `${process.execPath} ${join(repoRoot, 'src/cli/main.ts')}`,
      },
      event,
      cwd,
      workDir: a.dir,
      skip: ['Install livekit-gitops'],
    });

    const outcome = Object.fromEntries(run.steps.map((s) => [s.name, s.outcome]));
    expect(outcome).toMatchObject({
      'Choose plan or apply': 'success',
      'Status pending': 'success',
      'Validate and plan': 'success',
      'Comment the plan': 'skipped',
      'Status result': 'failure',
      Apply: 'skipped',
    });
    expect(run.failed).toBe(true);
    expect(run.steps.find((s) => s.name === 'Validate and plan')?.stdout).toMatch(/E_SCHEMA_TYPE/);
    expect(gh.statuses.map((s) => [s.sha, s.context, s.state])).toEqual([
      [headSha, 'livekit-gitops/plan/staging', 'pending'],
      [headSha, 'livekit-gitops/plan/staging', 'failure'],
    ]);
    expect(gh.comments).toEqual([]);
    expect(run.steps.map((s) => s.stdout + s.stderr).join('')).not.toContain(token);
  });
});
