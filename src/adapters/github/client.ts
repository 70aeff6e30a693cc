/**
 * The one Octokit this tool makes: retries on 5xx (plugin-retry), honours primary and secondary
 * rate limits (plugin-throttling: `Retry-After`, `x-ratelimit-reset`), never logs to the console,
 * and turns every failure into a GitHubError whose message carries no token.
 */
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
// Types only: plugin-throttling's limiter slots are typed as its (bundled) Bottleneck's groups.
import type Bottleneck from 'bottleneck';
import { GitHubError } from '../../core/errors.ts';
import { createWritePacer } from './write-pacer.ts';

export interface GitHubRepo {
  owner: string;
  name: string;
}

/** Where to post and with which credentials. */
export interface GitHubClientContext {
  token: string;
  /** REST base URL: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  repo: GitHubRepo;
}

/** Warnings only: the CLI decides whether and where to print them. */
export interface GitHubLogger {
  warn(message: string): void;
}

export interface GitHubClientOptions {
  /** Rate-limit retries per request before giving up (default 3). */
  maxRateLimitRetries?: number;
  /** Longest rate-limit wait accepted, in seconds (default 900); a longer wait fails at once. */
  maxWaitSeconds?: number;
  /** Milliseconds per second of `Retry-After` (default 1000); tests make waits short with this. */
  retryAfterBaseMs?: number;
  /** 5xx retries (default 3). */
  serverErrorRetries?: number;
  /**
   * Least time between two writes of this client, in ms. Unset: plugin-throttling's own pacing
   * (1 s per write, 3 s per comment write, process-wide), which is what GitHub asks for.
   */
  minWriteIntervalMs?: number;
  logger?: GitHubLogger;
  userAgent?: string;
}

export const defaultApiUrl = 'https://api.github.com';

const RetryingOctokit = Octokit.plugin(retry, throttling);
type RetryingOctokit = InstanceType<typeof RetryingOctokit>;

export interface GitHubClient {
  readonly octokit: RetryingOctokit;
  readonly repo: GitHubRepo;
  readonly apiUrl: string;
  /** Runs one API operation; any failure becomes a GitHubError naming `what` (e.g. "list PR comments"). */
  call<T>(what: string, fn: (octokit: RetryingOctokit) => Promise<T>): Promise<T>;
}

let clientSeq = 0;

export function createGitHubClient(
  ctx: GitHubClientContext,
  opts: GitHubClientOptions = {},
): GitHubClient {
  const maxRetries = opts.maxRateLimitRetries ?? 3;
  const maxWait = opts.maxWaitSeconds ?? 900;
  const warn = (m: string): void => opts.logger?.warn(scrubToken(m, ctx.token));
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _o: unknown,
      retryCount: number,
    ): boolean => {
      const want = retryCount < maxRetries && retryAfter <= maxWait;
      warn(
        `GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ` +
          (want ? `retrying in ${retryAfter}s` : 'giving up'),
      );
      return want;
    };
  const octokit = new RetryingOctokit({
    auth: ctx.token,
    baseUrl: ctx.apiUrl.replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'livekit-gitops',
    // Octokit's default logger writes to the console; only warnings reach ours.
    log: { debug: noop, info: noop, warn: (m: string) => warn(m), error: (m: string) => warn(m) },
    throttle: {
      // A distinct id per client: plugin-throttling's limiters are shared per id across the process.
      id: `livekit-gitops-${++clientSeq}`,
      retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...(opts.minWriteIntervalMs === undefined
        ? {}
        : {
            write: pacer(opts.minWriteIntervalMs),
            notifications: pacer(opts.minWriteIntervalMs),
          }),
    },
    retry: {
      retries: opts.serverErrorRetries ?? 3,
      retryAfterBaseValue: opts.retryAfterBaseMs ?? 1000,
    },
  });
  return {
    octokit,
    repo: ctx.repo,
    apiUrl: ctx.apiUrl,
    async call(what, fn) {
      try {
        return await fn(octokit);
      } catch (err) {
        throw toGitHubError(err, what, ctx);
      }
    },
  };
}

function noop(): void {}

/** The plugin only calls `key(id).schedule(options, fn)` on these slots (see write-pacer.ts). */
function pacer(minIntervalMs: number): Bottleneck.Group {
  return createWritePacer(minIntervalMs) as unknown as Bottleneck.Group;
}

/** Replaces every occurrence of the token (and its common encodings) with `***`. */
export function scrubToken(text: string, token: string): string {
  if (token.length < 4) return text;
  return text.split(token).join('***').split(encodeURIComponent(token)).join('***');
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function isRequestError(err: unknown): err is RequestErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

export function toGitHubError(err: unknown, what: string, ctx: GitHubClientContext): GitHubError {
  if (err instanceof GitHubError) return err;
  const where = `${ctx.repo.owner}/${ctx.repo.name} at ${ctx.apiUrl}`;
  // Octokit reports a transport failure (refused, DNS, TLS) as a 500 without a response.
  if (!isRequestError(err) || err.status === 0 || err.response === undefined) {
    const cause = err instanceof Error ? describeCause(err) : String(err);
    const msg = `GitHub request failed (${what}): could not reach ${where}: ${cause}`;
    return new GitHubError(scrubToken(msg, ctx.token), 0);
  }
  const status = err.status;
  const msg = `GitHub request failed (${what}) on ${where}: HTTP ${status} ${firstLine(err.message)}. ${hint(status, err)}`;
  return new GitHubError(scrubToken(msg.trim(), ctx.token), status);
}

function describeCause(err: Error): string {
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '');
}

function hint(status: number, err: RequestErrorLike): string {
  const remaining = err.response?.headers?.['x-ratelimit-remaining'];
  if (
    (status === 403 || status === 429) &&
    (String(remaining) === '0' || /rate limit/i.test(err.message))
  )
    return 'Rate limited by GitHub and out of retries; try again later.';
  switch (status) {
    case 401:
      return 'The token was rejected: check GITHUB_TOKEN (or the github-token input) is set and valid.';
    case 403:
      return 'The token lacks permission: the workflow needs `pull-requests: write` and `statuses: write`.';
    case 404:
      return 'Not found: check the repository and pull request number, and that the token can see the repository.';
    case 422:
      return 'GitHub refused the content (validation failed).';
    default:
      return status >= 500 ? 'GitHub had a server error and retries were exhausted.' : '';
  }
}
