/** The plan's commit status on the pull request's head SHA: context `livekit-gitops/plan[/TARGET]`. */
import type { GitHubClient } from './client.ts';
import { checkTarget, defaultTarget } from './comment-body.ts';

export type PlanStatusState = 'pending' | 'success' | 'failure' | 'error';

export const planStatusStates: readonly PlanStatusState[] = [
  'pending',
  'success',
  'failure',
  'error',
];

/** GitHub truncates nothing: a longer description is refused, so we shorten it ourselves. */
export const maxStatusDescription = 140;

export interface PlanStatusInput {
  sha: string;
  target?: string | undefined;
  state: PlanStatusState;
  /** The plan's summary line; shortened to 140 characters. */
  description: string;
  /** Usually the workflow run. */
  targetUrl?: string | undefined;
}

export function statusContext(target?: string): string {
  return target === undefined || target === defaultTarget
    ? 'livekit-gitops/plan'
    : `livekit-gitops/plan/${checkTarget(target)}`;
}

export function shortenDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= maxStatusDescription
    ? oneLine
    : oneLine.slice(0, maxStatusDescription - 1).trimEnd() + '…';
}

export async function setPlanStatus(
  gh: GitHubClient,
  input: PlanStatusInput,
): Promise<{ context: string; id: number }> {
  const context = statusContext(input.target);
  const { owner, name: repo } = gh.repo;
  const res = await gh.call(
    `set status ${context}=${input.state} on ${input.sha.slice(0, 12)}`,
    (o) =>
      o.rest.repos.createCommitStatus({
        owner,
        repo,
        sha: input.sha,
        state: input.state,
        context,
        description: shortenDescription(input.description),
        ...(input.targetUrl ? { target_url: input.targetUrl } : {}),
      }),
  );
  return { context, id: res.data.id };
}
