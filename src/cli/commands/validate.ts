import { Option, type Command } from 'commander';
import {
  formatDiagnostic,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from '../../core/diagnostics.ts';
import { CONFIG_FILE, loadConfig } from '../../spec/config.ts';
import { loadSpecs } from '../../spec/load.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandContext } from '../program.ts';

interface ValidateFlags {
  format: 'text' | 'json';
  strict?: boolean;
  config?: string;
}

function summary(errors: number, warnings: number, specs: number, files: number): string {
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (errors === 0 && warnings === 0) {
    return `Valid: ${plural(specs, 'spec')} in ${plural(files, 'file')}.`;
  }
  return `${errors === 0 ? 'Valid' : 'Invalid'}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} (${plural(specs, 'spec')} in ${plural(files, 'file')}).`;
}

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('Check spec files: YAML, schema and cross-references; every problem at once.')
    .argument(
      '[paths...]',
      'spec files or directories (default: specPaths from the config, else rooms/)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option('--strict', 'warnings fail validation too')
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<ValidateFlags>();
      const cwd = ctx.io.cwd;
      const explicitConfig =
        flags.config !== undefined && flags.config !== CONFIG_FILE ? flags.config : undefined;
      const cfg = await loadConfig(cwd, explicitConfig);
      const specPaths = paths.length > 0 ? paths : cfg.config.specPaths;
      const result = await loadSpecs(specPaths, { cwd, env: ctx.io.env });
      const all: Diagnostic[] = sortDiagnostics([...cfg.diagnostics, ...result.diagnostics]);
      const errors = all.filter((d) => d.severity === 'error');
      const warnings = all.filter((d) => d.severity === 'warning');
      const failed = hasErrors(all, flags.strict === true);
      if (flags.format === 'json') {
        ctx.io.stdout(JSON.stringify({ valid: !failed, errors, warnings }, null, 2) + '\n');
      } else {
        for (const d of all) ctx.io.stdout(formatDiagnostic(d) + '\n');
        ctx.io.stdout(
          summary(errors.length, warnings.length, result.specs.length, result.files.length) + '\n',
        );
      }
      ctx.setExitCode(failed ? ExitCode.error : ExitCode.ok);
    });
}
