import { Option, type Command } from 'commander';
import { loadAllTargets, loadProject, type Project } from '../../app/project.ts';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../core/diagnostics.ts';
import { labelled, mergeTargetDiagnostics } from '../../spec/target-diagnostics.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandContext } from '../command-context.ts';
import { addTargetOption, checkTargetFlags } from '../target-options.ts';

interface ValidateFlags {
  format: 'text' | 'json';
  strict?: boolean;
  config?: string;
  target?: string;
  allTargets?: boolean;
}

function summary(errors: number, warnings: number, specs: number, files: number): string {
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (errors === 0 && warnings === 0) {
    return `Valid: ${plural(specs, 'spec')} in ${plural(files, 'file')}.`;
  }
  return `${errors === 0 ? 'Valid' : 'Invalid'}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${plural(specs, 'spec')} in ${plural(files, 'file')}).`;
}

function summaryOf(diagnostics: readonly Diagnostic[], project: Project): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return summary(errors, warnings, project.specs.length, project.files.length);
}

export function registerValidate(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('validate')
    .description('Check spec files: YAML, schema and cross-references; every problem at once.')
    .argument(
      '[paths...]',
      'spec files or directories (default: specPaths from the config, else rooms/)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option('--strict', 'warnings fail validation too');
  addTargetOption(cmd, true).action(async (paths: string[], _opts: unknown, c: Command) => {
    const flags = c.optsWithGlobals<ValidateFlags>();
    checkTargetFlags(flags);
    const options = { cwd: ctx.io.cwd, env: ctx.io.env, configFile: flags.config, paths };
    // Validation needs no connection: every target's specs can be checked anywhere, and without
    // --target a project with several targets has all of them checked.
    const projects =
      flags.target === undefined
        ? await loadAllTargets(options)
        : [await loadProject({ ...options, target: flags.target })];
    const project = projects[0];
    if (flags.allTargets || projects.length > 1 || project === undefined) {
      ctx.setExitCode(validateAll(ctx, flags, projects));
      return;
    }
    const all = project.diagnostics;
    const failed = hasErrors(all, flags.strict === true);
    if (flags.format === 'json') {
      const errors = all.filter((d) => d.severity === 'error');
      const warnings = all.filter((d) => d.severity === 'warning');
      ctx.io.stdout(JSON.stringify({ valid: !failed, errors, warnings }, null, 2) + '\n');
    } else {
      for (const d of all) ctx.io.stdout(formatDiagnostic(d) + '\n');
      ctx.io.stdout(summaryOf(all, project) + '\n');
    }
    ctx.setExitCode(failed ? ExitCode.error : ExitCode.ok);
  });
}

/** Every target's composed set; a problem shared by all targets is printed once. */
function validateAll(ctx: CommandContext, flags: ValidateFlags, projects: Project[]): number {
  const strict = flags.strict === true;
  const failed = projects.some((p) => hasErrors(p.diagnostics, strict));
  if (flags.format === 'json') {
    const targets = Object.fromEntries(
      projects.map((p) => [
        p.target.name,
        {
          valid: !hasErrors(p.diagnostics, strict),
          errors: p.diagnostics.filter((d) => d.severity === 'error'),
          warnings: p.diagnostics.filter((d) => d.severity === 'warning'),
        },
      ]),
    );
    ctx.io.stdout(JSON.stringify({ valid: !failed, targets }, null, 2) + '\n');
  } else {
    const merged = mergeTargetDiagnostics(
      projects.map((p) => ({ target: p.target.name, diagnostics: p.diagnostics })),
    );
    for (const m of merged) ctx.io.stdout(formatDiagnostic(labelled(m, projects.length)) + '\n');
    for (const p of projects) {
      ctx.io.stdout(`target ${p.target.name}: ${summaryOf(p.diagnostics, p)}\n`);
    }
  }
  return failed ? ExitCode.error : ExitCode.ok;
}
