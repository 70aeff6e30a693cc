/**
 * `github comment` and `github status`: the plan as one sticky PR comment per target and as a
 * commit status on the PR's head. Context comes from the GitHub Actions environment; flags
 * override it. A failed post is a GitHubError, which the boundary maps to exit code 5. Without
 * --plan/--markdown, `github comment` plans the specs itself, through the same path as `plan`.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createGitHubClient, type GitHubClient } from '../../adapters/github/client.ts';
import {
  buildCommentBody,
  checkTarget,
  defaultTarget,
} from '../../adapters/github/comment-body.ts';
import {
  planStatusStates,
  setPlanStatus,
  type PlanStatusState,
} from '../../adapters/github/commit-status.ts';
import {
  readGitHubContext,
  requirePr,
  requireSha,
  type GitHubContextFlags,
  type GitHubRunContext,
} from '../../adapters/github/context.ts';
import { ensurePlanComment } from '../../adapters/github/sticky-comment.ts';
import { planLive } from '../../app/plan-run.ts';
import { UsageError } from '../../core/errors.ts';
import type { Plan } from '../../core/plan.ts';
import { summaryLine } from '../../core/plan-summary.ts';
import { renderPlanMarkdown } from '../../core/render-markdown.ts';
import { scrubText } from '../../core/redact.ts';
import { parseSavedPlan } from '../../core/saved-plan.ts';
import { ExitCode } from '../exit-codes.ts';
import { packageVersion, type CommandContext } from '../command-context.ts';
import {
  addProjectOptions,
  connectLiveKit,
  connectionOf,
  loadProjectOrFail,
  openBackend,
  type LoadedProject,
  type ProjectFlags,
} from '../project-context.ts';
import { checkTargetFlags, declaredTargetOf, loadAllTargetsOrFail } from '../target-options.ts';

interface CommonFlags extends GitHubContextFlags {
  target?: string;
  retries: string;
}

interface CommentFlags extends CommonFlags, ProjectFlags {
  allTargets?: boolean;
  plan?: string;
  markdown?: string;
  author?: string;
  prune?: boolean;
}

interface StatusFlags extends CommonFlags {
  state?: PlanStatusState;
  plan?: string;
  planExitCode?: string;
  description?: string;
  targetUrl?: string;
}

/** The job summary allows 1 MiB per step; the comment's own cap is applied separately. */
const stepSummaryChars = 900_000;

function addContextOptions(cmd: Command): Command {
  return cmd
    .option(
      '--target <name>',
      'what the plan is for: a target of livekit-gitops.yaml (one comment and status per target)',
    )
    .option('--pr <number>', 'pull request number (default: from GITHUB_EVENT_PATH)')
    .option('--sha <sha>', 'commit to report on (default: the PR head, else GITHUB_SHA)')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option(
      '--api-url <url>',
      'REST API URL, e.g. https://ghe.example.com/api/v3 (default: GITHUB_API_URL)',
    )
    .option('--token-env <VAR>', 'environment variable holding the token', 'GITHUB_TOKEN')
    .option(
      '--retries <n>',
      'retries of a server error or network failure (backoff 1 s, 4 s, 9 s, ...)',
      '3',
    );
}

export function registerGitHub(program: Command, ctx: CommandContext): void {
  const github = program
    .command('github')
    .description('post the plan to GitHub: a sticky pull-request comment and a commit status');

  const comment = addContextOptions(
    github
      .command('comment')
      .description('post or update the plan as one sticky comment on the pull request')
      .argument('[paths...]', 'spec paths to plan live (default: specPaths from the config)')
      .option('--plan <file>', 'post a saved plan (plan --out plan.json) instead of planning')
      .option('--markdown <file>', 'post an already rendered markdown plan')
      .option('--author <login>', 'only treat comments by this login as ours')
      .option('--prune', 'plan deletes of owned objects whose spec is gone (config: prune)')
      .option(
        '--all-targets',
        'plan every target in parallel; one sticky comment and one commit status per target',
      ),
  );
  addProjectOptions(comment).action(async (paths: string[], _o: unknown, command: Command) => {
    ctx.setExitCode(await runComment(ctx, paths, command.optsWithGlobals<CommentFlags>()));
  });

  addContextOptions(
    github
      .command('status')
      .description('set the plan commit status (livekit-gitops/plan[/TARGET]) on the head commit')
      .addOption(new Option('--state <state>', 'status to set').choices([...planStatusStates]))
      .option('--plan <file>', 'saved plan: its summary line is the description')
      .option(
        '--plan-exit-code <n>',
        "derive the state from `plan --detailed-exitcode`'s exit code",
      )
      .option('--description <text>', 'description (at most 140 characters are kept)')
      .option('--target-url <url>', 'link of the status (default: the workflow run)'),
  ).action(async (flags: StatusFlags) => {
    ctx.setExitCode(await runStatus(ctx, flags));
  });
}

function client(ctx: CommandContext, run: GitHubRunContext, flags: CommonFlags): GitHubClient {
  const retries = Number(flags.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 10)
    throw new UsageError(`--retries wants a whole number from 0 to 10, not ${flags.retries}`);
  return createGitHubClient(run, {
    serverErrorRetries: retries,
    userAgent: `livekit-gitops/${packageVersion()}`,
    logger: { warn: (m) => ctx.io.stderr(`Warning: ${m}\n`) },
  });
}

function readPlan(ctx: CommandContext, file: string): Plan {
  return parseSavedPlan(readText(ctx, file, 'plan'));
}

function readText(ctx: CommandContext, file: string, what: string): string {
  try {
    return readFileSync(resolve(ctx.io.cwd, file), 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`cannot read the ${what} file ${file}: ${why}`);
  }
}

async function runComment(
  ctx: CommandContext,
  paths: string[],
  flags: CommentFlags,
): Promise<number> {
  checkTargetFlags(flags);
  const target = checkTarget(flags.target ?? defaultTarget);
  if (flags.plan !== undefined && flags.markdown !== undefined)
    throw new UsageError('github comment takes --plan or --markdown, not both');
  if (flags.allTargets && (flags.plan !== undefined || flags.markdown !== undefined))
    throw new UsageError(
      'github comment --all-targets plans every target itself: no --plan or --markdown',
    );
  if (paths.length > 0 && (flags.plan !== undefined || flags.markdown !== undefined))
    throw new UsageError(
      'github comment plans the spec paths it is given; with --plan or --markdown, pass no paths',
    );
  // The GitHub context first: a missing token or PR fails before anything talks to LiveKit.
  const run = readGitHubContext(ctx.io.env, flags);
  const pr = requirePr(run);
  const gh = client(ctx, run, flags);
  if (flags.allTargets) return commentAllTargets(ctx, paths, flags, { run, pr, gh });
  let source: PlanSource | undefined;
  if (flags.plan !== undefined) source = { plan: readPlan(ctx, flags.plan), secretValues: [] };
  else if (flags.markdown === undefined) source = await planFromSpecs(ctx, paths, flags);
  const markdown =
    flags.markdown === undefined ? undefined : readText(ctx, flags.markdown, 'markdown');
  await postComment(ctx, { run, pr, gh }, target, flags, source ?? markdown ?? '');
  return ExitCode.ok;
}

interface PlanSource {
  plan: Plan;
  secretValues: readonly string[];
}

interface PullRequest {
  run: GitHubRunContext;
  pr: number;
  gh: GitHubClient;
}

/** One target's sticky comment (and its part of the job summary). */
async function postComment(
  ctx: CommandContext,
  where: PullRequest,
  target: string,
  flags: CommentFlags,
  source: PlanSource | string,
): Promise<void> {
  const { run, pr, gh } = where;
  const render = (maxChars: number): string =>
    typeof source === 'string'
      ? source
      : renderPlanMarkdown(source.plan, {
          maxChars,
          secretValues: source.secretValues,
          ...(target !== defaultTarget ? { target } : {}),
          ...(run.runUrl ? { fullPlanUrl: run.runUrl } : {}),
        });

  // The job summary first: it holds the full plan even when the comment must be truncated.
  if (run.stepSummaryPath)
    appendFileSync(run.stepSummaryPath, render(stepSummaryChars).trimEnd() + '\n\n');
  const body = buildCommentBody({
    target,
    markdown: render(60_000),
    headSha: run.sha,
    runUrl: run.runUrl,
  });
  const res = await ensurePlanComment(gh, { pr, target, body, author: flags.author });
  ctx.io.stdout(`Plan comment ${res.action} on pull request #${pr}: ${res.htmlUrl}\n`);
}

/**
 * `--all-targets`: every target planned in parallel (its own server and state), then per target
 * one sticky comment and one commit status `livekit-gitops/plan/<target>`. A target whose plan
 * fails gets a failed status and no comment; the others are still posted; the exit code is 1.
 */
async function commentAllTargets(
  ctx: CommandContext,
  paths: readonly string[],
  flags: CommentFlags,
  where: PullRequest,
): Promise<number> {
  const projects = await loadAllTargetsOrFail(ctx, paths, flags);
  for (const p of projects) connectionOf(ctx, p);
  const results = await Promise.allSettled(projects.map((p) => planProject(ctx, p, flags)));
  const sha = requireSha(where.run);
  let failed = false;
  for (const [i, p] of projects.entries()) {
    const target = checkTarget(p.target.name);
    const r = results[i]!;
    const status = { sha, target, targetUrl: where.run.runUrl };
    if (r.status === 'rejected') {
      failed = true;
      const why = r.reason instanceof Error ? r.reason.message : String(r.reason);
      ctx.io.stderr(`Error: target ${target}: ${scrubText(why, p.secretValues)}\n`);
      await setPlanStatus(where.gh, {
        ...status,
        state: 'failure',
        description: 'Plan failed; see the workflow run.',
      });
      continue;
    }
    await postComment(ctx, where, target, flags, r.value);
    const res = await setPlanStatus(where.gh, {
      ...status,
      state: 'success',
      description: summaryLine(r.value.plan),
    });
    ctx.io.stdout(`Commit status ${res.context}=success on ${sha.slice(0, 12)}\n`);
  }
  return failed ? ExitCode.error : ExitCode.ok;
}

/**
 * The same path as `plan`: load the specs (diagnostics to stderr; invalid specs end with exit 1
 * and nothing is posted), read the state, observe LiveKit, plan. Reads only: no lock is taken.
 */
async function planFromSpecs(
  ctx: CommandContext,
  paths: readonly string[],
  flags: CommentFlags,
): Promise<PlanSource> {
  return planProject(ctx, await loadProjectOrFail(ctx, paths, flags), flags);
}

async function planProject(
  ctx: CommandContext,
  project: LoadedProject,
  flags: CommentFlags,
): Promise<PlanSource> {
  const backend = openBackend(ctx, project, flags);
  try {
    const state = await backend.read();
    const { plan } = await planLive({
      port: connectLiveKit(ctx, project),
      project,
      state,
      now: new Date(),
      prune: flags.prune ?? project.config.prune,
      toolVersion: packageVersion(),
      secrets: project.secrets,
    });
    const target = declaredTargetOf(project);
    return {
      plan: target === undefined ? plan : { ...plan, target },
      secretValues: project.secretValues,
    };
  } finally {
    await backend.close();
  }
}

/** Derived states follow `plan --detailed-exitcode`: 0 (no changes) and 2 (changes) pass, the rest fail. */
function deriveStatus(
  ctx: CommandContext,
  flags: StatusFlags,
): { state: PlanStatusState; description: string } {
  const plan = (): Plan | undefined => (flags.plan ? readPlan(ctx, flags.plan) : undefined);
  let state = flags.state;
  if (!state && flags.planExitCode !== undefined) {
    const code = Number(flags.planExitCode);
    if (!Number.isInteger(code))
      throw new UsageError(`--plan-exit-code must be a number, not ${flags.planExitCode}`);
    state = code === ExitCode.ok || code === ExitCode.changes ? 'success' : 'failure';
  }
  if (!state && flags.plan) state = 'success';
  if (!state) throw new UsageError('github status needs --state, --plan-exit-code or --plan');
  if (flags.description) return { state, description: flags.description };
  if (state === 'pending') return { state, description: 'Planning…' };
  if (state === 'success') {
    const p = plan();
    return { state, description: p ? summaryLine(p) : 'Plan succeeded.' };
  }
  return { state, description: 'Plan failed: invalid specs or an error; see the workflow run.' };
}

async function runStatus(ctx: CommandContext, flags: StatusFlags): Promise<number> {
  const target = checkTarget(flags.target ?? defaultTarget);
  const { state, description } = deriveStatus(ctx, flags);
  const run = readGitHubContext(ctx.io.env, flags);
  const sha = requireSha(run);
  const targetUrl = flags.targetUrl ?? run.runUrl;
  const res = await setPlanStatus(client(ctx, run, flags), {
    sha,
    target,
    state,
    description,
    targetUrl,
  });
  ctx.io.stdout(`Commit status ${res.context}=${state} on ${sha.slice(0, 12)}: ${description}\n`);
  return ExitCode.ok;
}
