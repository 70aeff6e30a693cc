import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../../src/adapters/github/client.ts';
import { buildCommentBody, planMarker } from '../../../src/adapters/github/comment-body.ts';
import { ensurePlanComment } from '../../../src/adapters/github/sticky-comment.ts';
import { startGitHubServer, type GitHubTestServer } from '../../harness/github-server.ts';

const token = 'ghs_unitTestToken1234567890';
let server: GitHubTestServer;
let gh: GitHubClient;

beforeEach(async () => {
  server = await startGitHubServer({ token });
  gh = createGitHubClient(
    { token, apiUrl: server.baseUrl, repo: { owner: 'acme', name: 'specs' } },
    { retryAfterBaseMs: 10, minWriteIntervalMs: 5 },
  );
});

afterEach(async () => {
  await server.close();
  expect(server.violations).toEqual([]);
});

function body(markdown: string, target?: string): string {
  return buildCommentBody({ target, markdown, headSha: 'a'.repeat(40) });
}

describe('adapters/github/sticky-comment', () => {
  it('creates the comment on the first run and writes nothing on a second run with the same plan', async () => {
    const first = await ensurePlanComment(gh, { pr: 7, body: body('Plan: 1 to create') });
    const writesAfterFirst = server.writes().length;

    const second = await ensurePlanComment(gh, { pr: 7, body: body('Plan: 1 to create') });

    expect(first.action).toBe('created');
    expect(second).toEqual({ ...first, action: 'unchanged' });
    expect(writesAfterFirst).toBe(1);
    expect(server.writes()).toHaveLength(1);
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    expect(server.comments).toHaveLength(1);
  });

  it('edits the same comment in place when the plan changed', async () => {
    const first = await ensurePlanComment(gh, { pr: 7, body: body('Plan: 1 to create') });

    const second = await ensurePlanComment(gh, { pr: 7, body: body('Plan: 2 to create') });

    expect(second.action).toBe('updated');
    expect(second.commentId).toBe(first.commentId);
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]?.body).toContain('Plan: 2 to create');
    expect(server.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  it('gives another target its own comment and leaves the first alone', async () => {
    const prod = await ensurePlanComment(gh, {
      pr: 7,
      target: 'prod',
      body: body('prod plan', 'prod'),
    });

    const staging = await ensurePlanComment(gh, {
      pr: 7,
      target: 'staging',
      body: body('staging plan', 'staging'),
    });

    expect(staging.action).toBe('created');
    expect(staging.commentId).not.toBe(prod.commentId);
    expect(server.comments.find((c) => c.id === prod.commentId)?.body).toContain('prod plan');
  });

  it('never touches foreign comments with similar markers', async () => {
    const foreign = [
      server.seedComment(
        7,
        `${planMarker('prod')}\nsomeone else's copy, first line differs`.replace('prod', 'prod-eu'),
        'other-bot[bot]',
        'Bot',
      ),
      server.seedComment(
        7,
        '<!-- livekit-gitops:plan target=default-->\nno space',
        'renovate[bot]',
        'Bot',
      ),
      server.seedComment(7, `> ${planMarker()}\nquoted by a person`, 'alice'),
      server.seedComment(7, `hello\n${planMarker()}\nmarker not on the first line`, 'bob'),
    ];
    const before = foreign.map((c) => c.body);

    const res = await ensurePlanComment(gh, { pr: 7, body: body('Plan: 1 to create') });

    expect(res.action).toBe('created');
    expect(foreign.map((c) => c.body)).toEqual(before);
    expect(server.writes().map((r) => r.method)).toEqual(['POST']);
  });

  it('finds its comment on a later page of a long thread', async () => {
    for (let i = 0; i < 120; i++) server.seedComment(7, `chatter ${i}`, 'alice');
    const first = await ensurePlanComment(gh, { pr: 7, body: body('v1') });
    for (let i = 0; i < 90; i++) server.seedComment(7, `more chatter ${i}`, 'bob');

    const second = await ensurePlanComment(gh, { pr: 7, body: body('v2') });

    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    expect(
      server.requests.filter((r) => r.operationId === 'issues/list-comments').length,
    ).toBeGreaterThan(3);
  });

  it('only counts comments of the given author when one is named', async () => {
    const copy = server.seedComment(7, body('copied by hand'), 'alice');

    const res = await ensurePlanComment(gh, {
      pr: 7,
      body: body('Plan: 1 to create'),
      author: 'github-actions[bot]',
    });

    expect(res.action).toBe('created');
    expect(copy.body).toContain('copied by hand');
  });
});
