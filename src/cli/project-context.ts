/**
 * What plan, apply (and later the daemon) share on the CLI side: loading the project with its
 * diagnostics printed, connecting to LiveKit, opening the state backend with flag > config > default.
 */
import { Option, type Command } from 'commander';
import { createLiveKitAdapter } from '../adapters/livekit/index.ts';
import { holdAnswersOf } from '../adapters/livekit/hold-answers.ts';
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { StateBackend } from '../adapters/state/backend.ts';
import { openStateBackend, type StateConfig } from '../adapters/state/open-backend.ts';
import { liveKitConnectionFromEnv, type LiveKitConnection } from '../app/connection.ts';
import { loadProject, type Project } from '../app/project.ts';
import { formatDiagnostic, hasErrors } from '../core/diagnostics.ts';
import { InvalidSpecsError, UsageError } from '../core/errors.ts';
import type { ProjectConfig } from '../spec/config-schema.ts';
import { parseDuration } from '../spec/duration.ts';
import {
  boundarySecrets,
  collectSecretValues,
  resolveSecret,
  type Secrets,
} from '../spec/secrets.ts';
import type { CommandContext } from './command-context.ts';

export interface ProjectFlags {
  config?: string;
  stateDir?: string;
  stateBackend?: 'file' | 'redis';
  redisAddress?: string;
  /** Hidden: the lock's stale period / lease TTL (tests shorten it to recover from a kill quickly). */
  lockTtl?: string;
  /** `--target NAME` (src/cli/target-options.ts). */
  target?: string;
}

/** State flags without defaults, so the config file can supply what a flag leaves out. */
export function addProjectOptions(cmd: Command): Command {
  return cmd
    .option('--state-dir <dir>', 'state directory of the file backend (config: stateDir)')
    .addOption(
      new Option('--state-backend <kind>', 'where the state lives (config: state.backend)').choices(
        ['file', 'redis'],
      ),
    )
    .option('--redis-address <host:port>', 'Redis of the redis state backend')
    .addOption(new Option('--lock-ttl <duration>', 'lock stale period / lease TTL').hideHelp());
}

export interface LoadedProject extends Project {
  secretValues: string[];
  /** The environment and secret resolver handed down to plan and apply. */
  secrets: Secrets;
}

/** Loads config and specs; prints every diagnostic to stderr; throws when any is an error. */
export async function loadProjectOrFail(
  ctx: CommandContext,
  paths: readonly string[],
  flags: ProjectFlags,
): Promise<LoadedProject> {
  const project = await loadProject({
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    configFile: flags.config,
    paths,
    target: flags.target,
  });
  for (const d of project.diagnostics) ctx.io.stderr(formatDiagnostic(d) + '\n');
  if (hasErrors(project.diagnostics, false)) {
    const n = project.diagnostics.filter((d) => d.severity === 'error').length;
    throw new InvalidSpecsError(
      `${n} error${n === 1 ? '' : 's'} in the specs; nothing was planned or applied`,
    );
  }
  const secrets = boundarySecrets(ctx.io.env);
  return { ...project, secrets, secretValues: collectSecretValues(project.specs, secrets.resolve) };
}

/** The target's connection (its environment variable names; LIVEKIT_* by default). */
export function connectionOf(
  ctx: CommandContext,
  project: Pick<Project, 'config' | 'target'>,
): LiveKitConnection {
  const named = project.config.declaredTargets ? project.target.name : undefined;
  return liveKitConnectionFromEnv(ctx.io.env, project.target.livekit, named);
}

export function connectLiveKit(
  ctx: CommandContext,
  project: Pick<Project, 'config' | 'target'>,
): LiveKitPort {
  const port = createLiveKitAdapter(connectionOf(ctx, project));
  // Crash-safety tests only: hang the answers of one method (see hold-answers.ts).
  return holdAnswersOf(port, ctx.io.env['LKG_TEST_HOLD_ANSWERS_OF']);
}

export function stateConfigFor(
  config: ProjectConfig,
  flags: ProjectFlags,
  env: Record<string, string | undefined>,
  /** Where `fromFile` references resolve: the working directory. */
  baseDir = '.',
): StateConfig {
  const backend = flags.stateBackend ?? config.state.backend;
  const ttl = flags.lockTtl === undefined ? {} : { lockTtlMs: lockTtlMs(flags.lockTtl) };
  if (backend === 'file') return { backend, dir: flags.stateDir ?? config.stateDir, ...ttl };
  const address = flags.redisAddress ?? config.state.redis?.address;
  if (!address)
    throw new UsageError('the redis state backend needs an address (state.redis.address)');
  const redis: NonNullable<StateConfig['redis']> = { address };
  if (config.state.redis?.keyPrefix !== undefined) redis.keyPrefix = config.state.redis.keyPrefix;
  if (config.state.redis?.password !== undefined) {
    redis.password = resolveSecret(config.state.redis.password, { env, baseDir });
  }
  return { backend, redis, ...ttl };
}

function lockTtlMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError('--lock-ttl wants a duration such as 2s');
  return ms;
}

export function openBackend(
  ctx: CommandContext,
  project: Project,
  flags: ProjectFlags,
): StateBackend {
  return openStateBackend(
    stateConfigFor(project.config, flags, ctx.io.env, ctx.io.cwd),
    ctx.io.cwd,
  );
}

/** `--at` and friends: an ISO 8601 instant. */
export function parseInstant(text: string, flag: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`${flag} wants an ISO 8601 time, got "${text}"`);
  return at;
}

/** ANSI colour only on a terminal, and never with NO_COLOR set. */
export function useColor(ctx: CommandContext): boolean {
  return ctx.io.isTTY && !ctx.io.env['NO_COLOR'];
}
