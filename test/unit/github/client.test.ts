import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../src/adapters/github/client.ts';
import { setPlanStatus, statusContext } from '../../../src/adapters/github/commit-status.ts';
import { GitHubError } from '../../../src/core/errors.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';

const token = 'ghs_SECRETclientTOKEN0987654321';
const servers: GitHubTestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.close();
    expect(s.violations).toEqual([]);
  }
});

async function setup(basePath?: string, serverToken = token) {
  const server = await startGitHubServer({ token: serverToken, ...(basePath ? { basePath } : {}) });
  servers.push(server);
  const warnings: string[] = [];
  const gh = createGitHubClient(
    { token, apiUrl: server.baseUrl, repo: { owner: 'acme', name: 'specs' } },
    { retryAfterBaseMs: 10, minWriteIntervalMs: 5, logger: { warn: (m) => warnings.push(m) } },
  );
  return { server, gh, warnings };
}

const sha = 'b'.repeat(40);

describe('adapters/github/client', () => {
  it('retries a 403 secondary rate limit with Retry-After and then succeeds', async () => {
    const { server, gh, warnings } = await setup();
    server.inject({
      operationId: 'repos/create-commit-status',
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
    });

    const res = await setPlanStatus(gh, { sha, state: 'pending', description: 'Planning…' });

    expect(res.context).toBe('livekit-gitops/plan');
    expect(server.writes().map((r) => r.status)).toEqual([403, 201]);
    expect(server.statuses).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/secondary rate limit.*retrying in 1s/);
  });

  it('waits for x-ratelimit-reset on a primary rate limit and then succeeds', async () => {
    const { server, gh } = await setup();
    server.inject({
      operationId: 'repos/create-commit-status',
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
      },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    });

    await setPlanStatus(gh, { sha, state: 'success', description: 'No changes.' });

    expect(server.writes().map((r) => r.status)).toEqual([403, 201]);
  });

  it('gives up after a bounded number of rate-limit retries with a GitHubError', async () => {
    const { server, gh } = await setup();
    server.inject({
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit.' },
      times: 10,
    });

    const err = await setPlanStatus(gh, { sha, state: 'pending', description: 'x' }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(403);
    expect((err as GitHubError).message).toMatch(/rate limit/i);
    expect(server.writes()).toHaveLength(4);
  });

  it('turns a 401 into a clear GitHubError without the token', async () => {
    const { gh } = await setup(undefined, 'ghs_theRightToken');

    const err = await setPlanStatus(gh, { sha, state: 'pending', description: 'x' }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(401);
    expect((err as GitHubError).message).toMatch(/HTTP 401 Bad credentials.*token was rejected/);
    expect(JSON.stringify(err) + String(err) + (err as Error).stack).not.toContain(token);
  });

  it('reports an unreachable API as a GitHubError with status 0', async () => {
    const { server } = await setup();
    await server.close();
    const gh = createGitHubClient(
      { token, apiUrl: server.baseUrl, repo: { owner: 'acme', name: 'specs' } },
      { retryAfterBaseMs: 1, serverErrorRetries: 0 },
    );

    const err = await setPlanStatus(gh, { sha, state: 'pending', description: 'x' }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(0);
    expect((err as GitHubError).message).toMatch(/could not reach acme\/specs/);
    servers.length = 0;
  });

  it('uses a GHES API URL with its /api/v3 base path', async () => {
    const { server, gh } = await setup('/api/v3');

    await setPlanStatus(gh, {
      sha,
      target: 'prod',
      state: 'failure',
      description: 'Invalid specs',
    });

    expect(server.requests.map((r) => r.path)).toEqual([
      `/api/v3/repos/acme/specs/statuses/${sha}`,
    ]);
    expect(server.statuses[0]).toMatchObject({
      context: 'livekit-gitops/plan/prod',
      state: 'failure',
    });
  });
});

describe('adapters/github/commit-status', () => {
  it('names the context per target and keeps the description within 140 characters', async () => {
    const { server, gh } = await setup();

    await setPlanStatus(gh, {
      sha,
      state: 'success',
      description: 'Plan: 1 to create, 2 to update, 0 to delete, 0 other. ' + 'x'.repeat(200),
      targetUrl: 'https://github.com/acme/specs/actions/runs/1',
    });

    expect(statusContext()).toBe('livekit-gitops/plan');
    expect(statusContext('eu-1')).toBe('livekit-gitops/plan/eu-1');
    expect(server.statuses[0]?.description?.length).toBe(140);
    expect(server.statuses[0]?.targetUrl).toBe('https://github.com/acme/specs/actions/runs/1');
  });
});
