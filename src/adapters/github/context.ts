/**
 * The run's GitHub context, read from the environment GitHub Actions sets; flags override each
 * value. Only the values a command needs are required: `requirePr`/`requireSha` say which.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.ts';
import { defaultApiUrl, type GitHubClientContext, type GitHubRepo } from './client.ts';

export interface GitHubRunContext extends GitHubClientContext {
  serverUrl: string;
  /** The pull request number, from the event or `--pr`. */
  pr: number | undefined;
  /** The commit to report on: the PR's head SHA (not the merge commit), `--sha`, or GITHUB_SHA. */
  sha: string | undefined;
  /** `${server}/${repo}/actions/runs/${id}` when GITHUB_RUN_ID is set. */
  runUrl: string | undefined;
  /** GITHUB_STEP_SUMMARY: a file to append the markdown plan to. */
  stepSummaryPath: string | undefined;
}

export interface GitHubContextFlags {
  pr?: string | undefined;
  sha?: string | undefined;
  repo?: string | undefined;
  apiUrl?: string | undefined;
  /** Name of the environment variable holding the token (default GITHUB_TOKEN). */
  tokenEnv?: string | undefined;
}

type Env = Record<string, string | undefined>;

interface EventFacts {
  pr: number | undefined;
  headSha: string | undefined;
}

export function readGitHubContext(env: Env, flags: GitHubContextFlags = {}): GitHubRunContext {
  const tokenEnv = flags.tokenEnv ?? 'GITHUB_TOKEN';
  const token = nonEmpty(env[tokenEnv]);
  if (!token)
    throw new UsageError(
      `No GitHub token: ${tokenEnv} is not set (in a workflow, pass \${{ secrets.GITHUB_TOKEN }} as env ${tokenEnv}, or name another variable with --token-env).`,
    );
  const repo = parseRepo(nonEmpty(flags.repo) ?? nonEmpty(env['GITHUB_REPOSITORY']));
  const event = readEvent(nonEmpty(env['GITHUB_EVENT_PATH']));
  const serverUrl = (nonEmpty(env['GITHUB_SERVER_URL']) ?? 'https://github.com').replace(
    /\/+$/,
    '',
  );
  const apiUrl = (
    nonEmpty(flags.apiUrl) ??
    nonEmpty(env['GITHUB_API_URL']) ??
    defaultApiUrl
  ).replace(/\/+$/, '');
  const runId = nonEmpty(env['GITHUB_RUN_ID']);
  return {
    token,
    apiUrl,
    repo,
    serverUrl,
    pr: flags.pr !== undefined ? parsePr(flags.pr) : event.pr,
    sha: nonEmpty(flags.sha) ?? event.headSha ?? nonEmpty(env['GITHUB_SHA']),
    runUrl: runId ? `${serverUrl}/${repo.owner}/${repo.name}/actions/runs/${runId}` : undefined,
    stepSummaryPath: nonEmpty(env['GITHUB_STEP_SUMMARY']),
  };
}

export function requirePr(ctx: GitHubRunContext): number {
  if (ctx.pr === undefined)
    throw new UsageError(
      'No pull request: GITHUB_EVENT_PATH holds no pull_request event; run on `pull_request` or pass --pr N.',
    );
  return ctx.pr;
}

export function requireSha(ctx: GitHubRunContext): string {
  if (ctx.sha === undefined)
    throw new UsageError(
      'No commit SHA: GITHUB_SHA is not set and the event has none; pass --sha SHA.',
    );
  return ctx.sha;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

function parseRepo(value: string | undefined): GitHubRepo {
  if (!value)
    throw new UsageError('No repository: GITHUB_REPOSITORY is not set; pass --repo OWNER/NAME.');
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!m?.[1] || !m[2]) throw new UsageError(`Bad repository "${value}": expected OWNER/NAME.`);
  return { owner: m[1], name: m[2] };
}

function parsePr(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`Bad pull request number "${value}": expected a positive integer.`);
  return n;
}

/** pull_request(_target) events carry the PR and its head; issue_comment events only the number. */
function readEvent(path: string | undefined): EventFacts {
  if (!path) return { pr: undefined, headSha: undefined };
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Cannot read the GitHub event file (GITHUB_EVENT_PATH): ${why}`);
  }
  const e = event as {
    pull_request?: { number?: unknown; head?: { sha?: unknown } };
    issue?: { number?: unknown; pull_request?: unknown };
  };
  if (e.pull_request && typeof e.pull_request.number === 'number') {
    const sha = e.pull_request.head?.sha;
    return { pr: e.pull_request.number, headSha: typeof sha === 'string' ? sha : undefined };
  }
  if (e.issue?.pull_request && typeof e.issue.number === 'number')
    return { pr: e.issue.number, headSha: undefined };
  return { pr: undefined, headSha: undefined };
}
