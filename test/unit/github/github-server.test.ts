import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubOpenApi } from '../../harness/github-openapi.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';

// The stand-in is only worth something if it rejects what api.github.com would reject.
let server: GitHubTestServer;

beforeEach(async () => {
  server = await startGitHubServer();
});

afterEach(async () => {
  await server.close();
});

async function call(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(server.baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.text();
  return res.status;
}

describe('test/harness/github-server', () => {
  it('accepts a valid create-comment request and answers with a schema-valid comment', async () => {
    expect(await call('POST', '/repos/acme/specs/issues/3/comments', { body: 'hi' })).toBe(201);
    expect(server.violations).toEqual([]);
  });

  it.each([
    [
      'a body without the required field',
      'POST',
      '/repos/acme/specs/issues/3/comments',
      { text: 'hi' },
    ],
    [
      'a non-integer issue number',
      'POST',
      '/repos/acme/specs/issues/three/comments',
      { body: 'hi' },
    ],
    ['a bad status state', 'POST', '/repos/acme/specs/statuses/abc', { state: 'done' }],
    [
      'an unknown query parameter',
      'GET',
      '/repos/acme/specs/issues/3/comments?sort=asc',
      undefined,
    ],
    ['a bad per_page', 'GET', '/repos/acme/specs/issues/3/comments?per_page=many', undefined],
    ['a path GitHub does not have', 'GET', '/repos/acme/specs/plans', undefined],
  ])('flags %s', async (_name, method, path, body) => {
    const status = await call(method, path, body);

    expect(status).toBeGreaterThanOrEqual(400);
    expect(server.violations.length).toBeGreaterThan(0);
  });

  it('checks answers against the response schemas', () => {
    const api = new GitHubOpenApi();
    const op = api.match('POST', '/repos/acme/specs/statuses/abc');

    expect(op?.operationId).toBe('repos/create-commit-status');
    expect(api.checkResponse(op!, 201, { id: 'not-a-number' }).length).toBeGreaterThan(0);
    expect(api.checkResponse(op!, 401, { message: 'Bad credentials' })).toEqual([]);
  });

  it('serves under a GHES base path and flags requests outside it', async () => {
    const ghes = await startGitHubServer({ basePath: '/api/v3' });
    try {
      expect(ghes.baseUrl).toMatch(/\/api\/v3$/);
      const ok = await fetch(ghes.baseUrl + '/repos/acme/specs/issues/3/comments');
      const outside = await fetch(
        ghes.baseUrl.replace('/api/v3', '') + '/repos/acme/specs/issues/3/comments',
      );

      expect(ok.status).toBe(200);
      expect(outside.status).toBe(404);
      expect(ghes.violations).toHaveLength(1);
    } finally {
      await ghes.close();
    }
  });
});
