/**
 * `github comment --all-targets` against the GitHub stand-in and the real server: one sticky
 * comment and one commit status per target; a target whose plan fails gets a failed status and no
 * comment while the others are still posted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/free-port.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { actionsEnv, runCli } from '../../harness/github-cli.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';

const token = 'ghs_ALLTARGETStoken_0987654321fedcba';
const headSha = '1123456789abcdef0123456789abcdef01234567';
let gh: GitHubTestServer | undefined;

afterAll(async () => {
  await gh?.close();
});

describe('github comment --all-targets', () => {
  it('posts one sticky comment and one status per target, and a failed status for a target that fails', async () => {
    gh = await startGitHubServer({ token });
    const lk = liveKitEnv();
    const a = actionsEnv({ apiUrl: gh.baseUrl, token, pr: 31, headSha });
    const p = `gat${randomBytes(3).toString('hex')}-`;
    const repo = join(a.dir, 'repo');
    mkdirSync(join(repo, 'rooms'), { recursive: true });
    const target = (name: string, env: string) =>
      `  ${name}:\n    livekit: { urlEnv: ${env}_URL, apiKeyEnv: ${env}_KEY, apiSecretEnv: ${env}_SECRET }\n`;
    writeFileSync(
      join(repo, 'livekit-gitops.yaml'),
      `targets:\n${target('staging', 'S')}${target('prod', 'P')}${target('qa', 'Q')}`,
    );
    const room = (name: string, only: string) =>
      `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: ${p}${name}, targets: [${only}] }\nspec: {}\n`;
    writeFileSync(
      join(repo, 'rooms', 'rooms.yaml'),
      [room('s', 'staging'), room('p', 'prod'), room('q', 'qa')].join('---\n'),
    );
    const creds = (v: string, url: string) => ({
      [`${v}_URL`]: url,
      [`${v}_KEY`]: lk.apiKey,
      [`${v}_SECRET`]: lk.apiSecret,
    });
    // qa's server is not there: its plan fails after the adapter's retries.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const env = { ...a.env, ...creds('S', lk.url), ...creds('P', lk.url), ...creds('Q', nowhere) };

    const res = await runCli(['github', 'comment', '--all-targets'], env, repo);

    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Error: target qa: /m);
    expect(res.stderr).not.toContain(lk.apiSecret);
    const statuses = gh.statuses.map((s) => `${s.context}=${s.state}`).sort();
    expect(statuses).toEqual([
      'livekit-gitops/plan/prod=success',
      'livekit-gitops/plan/qa=failure',
      'livekit-gitops/plan/staging=success',
    ]);
    expect(gh.statuses.every((s) => s.sha === headSha)).toBe(true);
    const bodies = new Map(gh.comments.map((c) => [c.body.split('\n', 1)[0] ?? '', c.body]));
    expect([...bodies.keys()].sort()).toEqual([
      '<!-- livekit-gitops:plan target=prod -->',
      '<!-- livekit-gitops:plan target=staging -->',
    ]);
    expect(bodies.get('<!-- livekit-gitops:plan target=staging -->')).toContain(`+ room.${p}s`);
    expect(bodies.get('<!-- livekit-gitops:plan target=prod -->')).toContain(`+ room.${p}p`);
    expect(bodies.get('<!-- livekit-gitops:plan target=prod -->')).not.toContain(`${p}s`);

    // Again with the same plans: the sticky comments are found and left as they are.
    const writes = gh.writes().filter((w) => w.path.includes('/comments')).length;
    await runCli(['github', 'comment', '--all-targets'], env, repo);
    expect(gh.comments).toHaveLength(2);
    expect(gh.writes().filter((w) => w.path.includes('/comments')).length).toBe(writes);
    expect(gh.violations).toEqual([]);
  }, 120_000);
});
