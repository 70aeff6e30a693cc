import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { planLive } from '../../app/plan-run.ts';
import { renderPlanJson } from '../../core/render-json.ts';
import { renderPlanMarkdown } from '../../core/render-markdown.ts';
import { renderPlanText } from '../../core/render-text.ts';
import { ExitCode } from '../exit-codes.ts';
import { packageVersion, type CommandContext } from '../program.ts';
import {
  addProjectOptions,
  connectLiveKit,
  loadProjectOrFail,
  openBackend,
  parseInstant,
  useColor,
  type ProjectFlags,
} from '../project-context.ts';

interface PlanFlags extends ProjectFlags {
  out?: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  at?: string;
  prune?: boolean;
  target?: string;
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
    .option('--prune', 'plan deletes of owned objects whose spec is gone (config: prune)')
    .option('--target <name>', 'name of this deployment in markdown output');
  addProjectOptions(cmd).action(async (paths: string[], _o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<PlanFlags>();
    const project = await loadProjectOrFail(ctx, paths, flags);
    const at = flags.at !== undefined ? parseInstant(flags.at, '--at') : undefined;
    const backend = openBackend(ctx, project, flags);
    try {
      const port = connectLiveKit(ctx);
      const state = await backend.read();
      const { plan } = await planLive({
        port,
        project,
        state,
        now: new Date(),
        at,
        prune: flags.prune ?? project.config.prune,
        toolVersion: packageVersion(),
      });
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
          ctx.io.stdout(
            `\nSaved the plan to ${flags.out}; apply it with: livekit-gitops apply ${flags.out}\n`,
          );
        }
      }
      const changed = plan.changes.length > 0;
      ctx.setExitCode(flags.detailedExitcode && changed ? ExitCode.changes : ExitCode.ok);
    } finally {
      await backend.close();
    }
  });
}
