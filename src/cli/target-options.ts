/**
 * `--target NAME` and `--all-targets`, shared by every command that talks to LiveKit or state.
 * Which target a name means is decided in src/spec/config-targets.ts (selectTarget); this module
 * only declares the flags and resolves the config-level view for commands that load no specs.
 */
import type { Command } from 'commander';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.ts';
import { InvalidSpecsError, StalePlanError, UsageError } from '../core/errors.ts';
import type { Plan } from '../core/plan.ts';
import { CONFIG_FILE, loadConfig } from '../spec/config.ts';
import type { ProjectConfig, TargetConfig } from '../spec/config-schema.ts';
import { configForTarget, selectTarget } from '../spec/config-targets.ts';
import { loadAllTargets } from '../app/project.ts';
import { boundarySecrets, collectSecretValues } from '../spec/secrets.ts';
import { labelled, mergeTargetDiagnostics } from '../spec/target-diagnostics.ts';
import type { CommandContext } from './command-context.ts';
import type { LoadedProject } from './project-context.ts';

export function addTargetOption(cmd: Command, allTargets = false): Command {
  cmd.option(
    '--target <name>',
    'which target of livekit-gitops.yaml `targets:` (without targets: a label for the output)',
  );
  if (allTargets) cmd.option('--all-targets', 'every target of livekit-gitops.yaml, in parallel');
  return cmd;
}

export interface TargetFlags {
  config?: string;
  target?: string;
  allTargets?: boolean;
}

/** `--target` and `--all-targets` exclude each other. */
export function checkTargetFlags(flags: TargetFlags): void {
  if (flags.allTargets && flags.target !== undefined)
    throw new UsageError('--target and --all-targets exclude each other');
}

export interface TargetView {
  config: ProjectConfig;
  target: TargetConfig;
}

/** The config file with its diagnostics printed, seen by the selected target (no specs loaded). */
export async function loadTargetConfig(
  ctx: CommandContext,
  flags: TargetFlags,
): Promise<TargetView> {
  const explicit =
    flags.config !== undefined && flags.config !== CONFIG_FILE ? flags.config : undefined;
  const cfg = await loadConfig(ctx.io.cwd, explicit);
  for (const d of cfg.diagnostics) ctx.io.stderr(formatDiagnostic(d) + '\n');
  if (hasErrors(cfg.diagnostics, false)) throw new InvalidSpecsError('the config file has errors');
  const target = selectTarget(cfg.config, flags.target);
  return { config: configForTarget(cfg.config, target), target };
}

/** The declared target's name, undefined for the implicit one (plans then record none, as before). */
export function declaredTargetOf(view: TargetView): string | undefined {
  return view.config.declaredTargets ? view.target.name : undefined;
}

/** A saved plan is executed only by the target it was made for (exit 3 otherwise). */
export function checkSavedPlanTarget(saved: Plan, view: TargetView): void {
  const here = declaredTargetOf(view);
  if (saved.target === here) return;
  const made = saved.target === undefined ? 'without a target' : `for target ${saved.target}`;
  const now = here === undefined ? 'a project without targets' : `target ${here}`;
  throw new StalePlanError(
    `the saved plan was made ${made} and cannot be applied to ${now}; plan again for this target`,
  );
}

/**
 * Every target's project, its diagnostics printed once (labelled with the targets that have
 * them); throws when any target has an error, before anything talks to LiveKit.
 */
export async function loadAllTargetsOrFail(
  ctx: CommandContext,
  paths: readonly string[],
  flags: TargetFlags,
): Promise<LoadedProject[]> {
  const projects = await loadAllTargets({
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    configFile: flags.config,
    paths,
  });
  const merged = mergeTargetDiagnostics(
    projects.map((p) => ({ target: p.target.name, diagnostics: p.diagnostics })),
  );
  for (const m of merged) ctx.io.stderr(formatDiagnostic(labelled(m, projects.length)) + '\n');
  const errors = merged.filter((m) => m.diagnostic.severity === 'error').length;
  if (errors > 0) {
    throw new InvalidSpecsError(
      `${errors} error${errors === 1 ? '' : 's'} in the specs; nothing was planned or applied for any target`,
    );
  }
  const secrets = boundarySecrets(ctx.io.env);
  return projects.map((p) => ({
    ...p,
    secrets,
    secretValues: collectSecretValues(p.specs, secrets.resolve),
  }));
}
