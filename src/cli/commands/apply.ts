import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyPlan, type ApplyReport, type ChangeOutcome } from '../../app/apply-run.ts';
import { planLive } from '../../app/plan-run.ts';
import type { StateLock } from '../../adapters/state/backend.ts';
import { SafetyRefusal, StalePlanError, UsageError } from '../../core/errors.ts';
import type { Plan } from '../../core/plan.ts';
import { NO_CHANGES_LINE } from '../../core/plan-summary.ts';
import { renderPlanText } from '../../core/render-text.ts';
import { checkSafety } from '../../core/safety.ts';
import { parseSavedPlan } from '../../core/saved-plan.ts';
import { checkSavedPlan } from '../../core/staleness.ts';
import { scrubText } from '../../core/redact.ts';
import { parseDuration } from '../../spec/duration.ts';
import { coalescedOutput } from '../coalesced-output.ts';
import { ExitCode } from '../exit-codes.ts';
import { packageVersion, type CommandContext } from '../command-context.ts';
import {
  addProjectOptions,
  connectLiveKit,
  loadProjectOrFail,
  openBackend,
  useColor,
  type ProjectFlags,
} from '../project-context.ts';
import { addTargetOption, checkSavedPlanTarget } from '../target-options.ts';

interface ApplyFlags extends ProjectFlags {
  autoApprove?: boolean;
  prune?: boolean;
  force?: boolean;
  concurrency?: string;
  lockTimeout?: string;
}

/** Long enough for a daemon's reconcile to finish its writes and let go of the lock. */
const CI_LOCK_WAIT = '2m';

export function registerApply(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('apply')
    .description('Make LiveKit match the specs, or execute a plan saved with `plan --out`.')
    .argument('[paths...]', 'spec files or directories, or one saved plan file (*.json)')
    .option('--auto-approve', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--prune', 'delete owned objects whose spec is gone (config: prune)')
    .option('--force', 'override the maxDeletes and empty-spec-set guards')
    .option('--concurrency <n>', 'parallel LiveKit calls (config: concurrency)')
    .option(
      '--lock-timeout <duration>',
      `wait this long for the state lock, e.g. 30s (default 0s; ${CI_LOCK_WAIT} when CI is set)`,
    );
  addTargetOption(cmd);
  addProjectOptions(cmd).action(async (args: string[], _o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<ApplyFlags>();
    const savedPath = await savedPlanArgument(ctx, args);
    const specPaths = savedPath === undefined ? args : args.slice(1);
    const saved = savedPath === undefined ? undefined : await readSavedPlan(savedPath);
    const project = await loadProjectOrFail(ctx, specPaths, flags);
    if (saved) checkSavedPlanTarget(saved, project);
    const concurrency = positiveInt(flags.concurrency, project.config.concurrency, '--concurrency');
    // In CI a running daemon may hold the lock for one reconcile's writes: wait that out.
    const waitMs = parseDuration(flags.lockTimeout ?? (ctx.io.env['CI'] ? CI_LOCK_WAIT : '0s'));
    if (waitMs === undefined) throw new UsageError('--lock-timeout wants a duration such as 30s');

    const backend = openBackend(ctx, project, flags);
    let lock: StateLock | undefined;
    try {
      lock = await backend.acquireLock({ operation: 'apply' }, { waitMs });
      const port = connectLiveKit(ctx, project);
      const state = await backend.read();
      const fresh = await planLive({
        port,
        project,
        state,
        now: new Date(),
        at: saved ? new Date(saved.evaluatedAt) : undefined,
        prune: flags.prune ?? project.config.prune,
        toolVersion: packageVersion(),
        secrets: project.secrets,
      });
      let plan: Plan = fresh.plan;
      if (saved) {
        const check = checkSavedPlan(saved, {
          specHash: fresh.plan.specHash,
          liveHash: fresh.plan.liveHash,
          stateHash: fresh.plan.stateHash,
          toolVersion: packageVersion(),
        });
        if (!check.fresh) {
          throw new StalePlanError(
            `the saved plan is stale: ${check.reasons.join('; ')}. Run plan again.`,
          );
        }
        plan = saved;
      }
      const safety = checkSafety(plan, {
        maxDeletes: project.config.maxDeletes,
        force: flags.force === true,
        specCount: project.specs.length,
      });
      if (!safety.ok)
        throw new SafetyRefusal(`${safety.reasons.join('; ')} (use --force to override)`);

      ctx.io.stdout(
        renderPlanText(plan, { color: useColor(ctx), secretValues: project.secretValues }),
      );
      if (plan.changes.length > 0 && !saved && !(await approved(ctx, flags))) {
        ctx.io.stdout('\nApply cancelled.\n');
        ctx.setExitCode(ExitCode.error);
        return;
      }
      const progress = coalescedOutput((text) => ctx.io.stdout(text));
      const report = await applyPlan({
        plan,
        port,
        lock,
        settled: fresh,
        concurrency,
        now: () => new Date(),
        secrets: project.secrets,
        onDone: (o) => progress.write(outcomeLine(o, project.secretValues) + '\n'),
      }).finally(() => progress.flush());
      const failed = report.outcomes.filter((o) => !o.ok).length;
      ctx.io.stdout('\n' + applySummary(plan, report) + '\n');
      ctx.setExitCode(failed > 0 || report.skipped.length > 0 ? ExitCode.error : ExitCode.ok);
    } finally {
      await lock?.release();
      await backend.close();
    }
  });
}

/** `apply plan.json`: the first argument names an existing file ending in .json. */
async function savedPlanArgument(ctx: CommandContext, args: string[]): Promise<string | undefined> {
  const first = args[0];
  if (first === undefined || !first.endsWith('.json')) return undefined;
  const path = resolve(ctx.io.cwd, first);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`saved plan ${first} not found`);
  return path;
}

async function readSavedPlan(path: string): Promise<Plan> {
  const text = await readFile(path, 'utf8');
  return parseSavedPlan(text);
}

async function approved(ctx: CommandContext, flags: ApplyFlags): Promise<boolean> {
  if (flags.autoApprove) return true;
  if (!ctx.io.stdinIsTTY) {
    throw new UsageError(
      'apply asks for confirmation; stdin is not a terminal, so pass --auto-approve',
    );
  }
  const answer = await ctx.io.prompt(
    '\nDo you want to perform these actions? Only "yes" will be accepted: ',
  );
  return answer.trim() === 'yes';
}

function positiveInt(flag: string | undefined, fallback: number, name: string): number {
  if (flag === undefined) return fallback;
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} wants a whole number ≥ 1`);
  return n;
}

const doneVerb = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  replace: 'replaced',
  start: 'started',
  stop: 'stopped',
  moderate: 'done',
} as const;

function outcomeLine(o: ChangeOutcome, secrets: readonly string[]): string {
  if (!o.ok) {
    const message = o.error instanceof Error ? o.error.message : String(o.error);
    return scrubText(`${o.change.address}: FAILED to ${o.change.action}: ${message}`, secrets);
  }
  const own = o.effect.own?.serverId ? ` (${o.effect.own.serverId})` : '';
  const note = o.effect.note ? ` — ${o.effect.note}` : '';
  return `${o.change.address}: ${doneVerb[o.change.action]}${own}${note}`;
}

function applySummary(plan: Plan, report: ApplyReport): string {
  if (plan.changes.length === 0) return NO_CHANGES_LINE;
  const count = { create: 0, update: 0, delete: 0, other: 0 };
  for (const o of report.outcomes) {
    if (!o.ok) continue;
    const a = o.change.action;
    if (a === 'create' || a === 'update' || a === 'delete') count[a]++;
    else if (a === 'replace') {
      count.create++;
      count.delete++;
    } else count.other++;
  }
  const failed = report.outcomes.filter((o) => !o.ok).length;
  const done = `${count.create} created, ${count.update} updated, ${count.delete} deleted, ${count.other} other`;
  if (failed === 0 && report.skipped.length === 0) return `Apply complete! ${done}.`;
  return `Apply finished with errors: ${done}; ${failed} failed, ${report.skipped.length} not attempted. Run apply again to retry.`;
}
