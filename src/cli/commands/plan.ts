import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { planLive } from '../../app/plan-run.ts';
import { UsageError } from '../../core/errors.ts';
import type { Plan } from '../../core/plan.ts';
import { renderPlanJson } from '../../core/render-json.ts';
import { renderPlanMarkdown } from '../../core/render-markdown.ts';
import { renderPlanText } from '../../core/render-text.ts';
import { ExitCode } from '../exit-codes.ts';
import { packageVersion, type CommandContext } from '../command-context.ts';
import {
  addProjectOptions,
  connectLiveKit,
  connectionOf,
  loadProjectOrFail,
  openBackend,
  parseInstant,
  useColor,
  type LoadedProject,
  type ProjectFlags,
} from '../project-context.ts';
import {
  addTargetOption,
  checkTargetFlags,
  declaredTargetOf,
  loadAllTargetsOrFail,
} from '../target-options.ts';

interface PlanFlags extends ProjectFlags {
  out?: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  at?: string;
  prune?: boolean;
  allTargets?: boolean;
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('plan')
    .description('Observe LiveKit, compare with the specs and print the plan; changes nothing.')
    .argument('[paths...]', 'spec files or directories (default: specPaths from the config)')
    .option('--out <file>', 'also save the plan as JSON, for `apply <file>`')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when there are changes')
    .option('--at <time>', 'evaluate schedules at this ISO 8601 time instead of now')
    .option('--prune', 'plan deletes of owned objects whose spec is gone (config: prune)');
  addTargetOption(cmd, true);
  addProjectOptions(cmd).action(async (paths: string[], _o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<PlanFlags>();
    checkTargetFlags(flags);
    const at = flags.at !== undefined ? parseInstant(flags.at, '--at') : undefined;
    if (flags.allTargets) {
      if (flags.out !== undefined)
        throw new UsageError('--out saves one target’s plan: use --target NAME --out FILE');
      const projects = await loadAllTargetsOrFail(ctx, paths, flags);
      // Every connection is checked before any target is planned: a missing variable fails all.
      for (const p of projects) connectionOf(ctx, p);
      const plans = await Promise.all(projects.map((p) => planOne(ctx, p, flags, at)));
      ctx.io.stdout(renderSections(ctx, projects, plans, flags.format));
      const changed = plans.some((p) => p.changes.length > 0);
      ctx.setExitCode(flags.detailedExitcode && changed ? ExitCode.changes : ExitCode.ok);
      return;
    }
    const project = await loadProjectOrFail(ctx, paths, flags);
    const plan = await planOne(ctx, project, flags, at);
    const secretValues = project.secretValues;
    if (flags.out !== undefined) {
      const json = renderPlanJson(plan, { secretValues });
      await writeFile(resolve(ctx.io.cwd, flags.out), JSON.stringify(json, null, 2) + '\n');
    }
    if (flags.format === 'json') {
      ctx.io.stdout(JSON.stringify(renderPlanJson(plan, { secretValues }), null, 2) + '\n');
    } else if (flags.format === 'markdown') {
      const opts = flags.target !== undefined ? { target: flags.target } : {};
      ctx.io.stdout(renderPlanMarkdown(plan, { ...opts, secretValues }) + '\n');
    } else {
      ctx.io.stdout(renderPlanText(plan, { color: useColor(ctx), secretValues }));
      if (flags.out !== undefined) {
        const target = flags.target !== undefined ? ` --target ${flags.target}` : '';
        ctx.io.stdout(
          `\nSaved the plan to ${flags.out}; apply it with: livekit-gitops apply ${flags.out}${target}\n`,
        );
      }
    }
    const changed = plan.changes.length > 0;
    ctx.setExitCode(flags.detailedExitcode && changed ? ExitCode.changes : ExitCode.ok);
  });
}

/** One target: its own server, its own state. */
async function planOne(
  ctx: CommandContext,
  project: LoadedProject,
  flags: PlanFlags,
  at: Date | undefined,
): Promise<Plan> {
  const backend = openBackend(ctx, project, flags);
  try {
    const port = connectLiveKit(ctx, project);
    const state = await backend.read();
    const { plan } = await planLive({
      port,
      project,
      state,
      now: new Date(),
      at,
      prune: flags.prune ?? project.config.prune,
      toolVersion: packageVersion(),
      secrets: project.secrets,
    });
    const target = declaredTargetOf(project);
    return target === undefined ? plan : { ...plan, target };
  } finally {
    await backend.close();
  }
}

/** `--all-targets`: one section per target, in the config's order. */
function renderSections(
  ctx: CommandContext,
  projects: readonly LoadedProject[],
  plans: readonly Plan[],
  format: PlanFlags['format'],
): string {
  const each = projects.map((p, i) => ({ name: p.target.name, plan: plans[i]!, p }));
  if (format === 'json') {
    const targets = Object.fromEntries(
      each.map((e) => [e.name, renderPlanJson(e.plan, { secretValues: e.p.secretValues })]),
    );
    return JSON.stringify({ targets }, null, 2) + '\n';
  }
  if (format === 'markdown') {
    return (
      each
        .map((e) => renderPlanMarkdown(e.plan, { target: e.name, secretValues: e.p.secretValues }))
        .join('\n\n') + '\n'
    );
  }
  const color = useColor(ctx);
  return each
    .map(
      (e) =>
        `=== target ${e.name} ===\n` +
        renderPlanText(e.plan, { color, secretValues: e.p.secretValues }),
    )
    .join('\n');
}
