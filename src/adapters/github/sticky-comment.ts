/**
 * One sticky plan comment per (pull request, target): found again by its marker line, created
 * when missing, edited in place when the body changed, left alone when it did not. Comments
 * without the exact marker (other targets, other bots, people) are never touched.
 */
import type { GitHubClient } from './client.ts';
import { defaultTarget, isPlanComment, maxCommentChars } from './comment-body.ts';

export interface EnsurePlanCommentInput {
  pr: number;
  target?: string | undefined;
  /** The whole comment body, marker line first (see buildCommentBody). */
  body: string;
  /** When set, only comments by this login count as ours (e.g. `github-actions[bot]`). */
  author?: string | undefined;
}

export interface EnsurePlanCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  commentId: number;
  htmlUrl: string;
}

interface ListedComment {
  id: number;
  body?: string | undefined;
  html_url: string;
  user: { login: string } | null;
}

export async function ensurePlanComment(
  gh: GitHubClient,
  input: EnsurePlanCommentInput,
): Promise<EnsurePlanCommentResult> {
  const target = input.target ?? defaultTarget;
  if (!isPlanComment(input.body, target))
    throw new Error(
      `ensurePlanComment: the body does not start with the marker for target ${target}`,
    );
  // GitHub would refuse it with a 422; buildCommentBody keeps bodies under the limit.
  if (input.body.length > maxCommentChars)
    throw new Error(
      `ensurePlanComment: body of ${input.body.length} characters exceeds ${maxCommentChars}`,
    );
  const { owner, name: repo } = gh.repo;
  const where = `${owner}/${repo}#${input.pr}`;

  const comments: ListedComment[] = await gh.call(`list comments on ${where}`, (o) =>
    o.paginate(o.rest.issues.listComments, { owner, repo, issue_number: input.pr, per_page: 100 }),
  );
  const ours = comments.filter(
    (c) =>
      isPlanComment(c.body, target) &&
      (input.author === undefined || c.user?.login === input.author),
  );
  // Several matches (e.g. a copy left by hand): edit the newest, as tfcmt does; never delete.
  const existing = ours.reduce<ListedComment | undefined>(
    (a, c) => (a && a.id > c.id ? a : c),
    undefined,
  );

  if (!existing) {
    const res = await gh.call(`create the plan comment on ${where}`, (o) =>
      o.rest.issues.createComment({ owner, repo, issue_number: input.pr, body: input.body }),
    );
    return { action: 'created', commentId: res.data.id, htmlUrl: res.data.html_url };
  }
  if (existing.body === input.body)
    return { action: 'unchanged', commentId: existing.id, htmlUrl: existing.html_url };
  const res = await gh.call(`update the plan comment ${existing.id} on ${where}`, (o) =>
    o.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: input.body }),
  );
  return { action: 'updated', commentId: res.data.id, htmlUrl: res.data.html_url };
}
