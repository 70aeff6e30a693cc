import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';

type Register = (program: Command, ctx: CommandContext) => void;

/**
 * Every command registers itself from its own file. Only the file of the command being run is
 * imported: a command's module graph (the LiveKit SDK, Redis, Octokit, chokidar, pino, ...) costs
 * start-up time that `--version` or `validate` should not pay.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  plan: async () => (await import('./plan.ts')).registerPlan,
  apply: async () => (await import('./apply.ts')).registerApply,
  github: async () => (await import('./github.ts')).registerGitHub,
  state: async () => (await import('./state.ts')).registerState,
  validate: async () => (await import('./validate.ts')).registerValidate,
  daemon: async () => (await import('./daemon.ts')).registerDaemon,
  status: async () => (await import('./status.ts')).registerStatus,
  token: async () => (await import('./token.ts')).registerToken,
  import: async () => (await import('./import.ts')).registerImport,
};

/** Program-level options that take a value (their value is not a command name). */
const VALUE_OPTIONS = new Set(['--config']);

/**
 * The command named on the command line, `null` for none (`--version`), `undefined` when every
 * command is needed (help, an unknown name: commander lists or suggests them all).
 */
export function invokedCommand(argv: readonly string[]): string | null | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) {
      if (arg === '-h' || arg === '--help') return undefined;
      continue;
    }
    return Object.hasOwn(COMMANDS, arg) ? arg : undefined;
  }
  return argv.includes('-v') || argv.includes('--version') ? null : undefined;
}

/** Registers the command `argv` runs (or all of them when help or a suggestion needs them). */
export async function registerCommands(
  program: Command,
  ctx: CommandContext,
  argv?: readonly string[],
): Promise<void> {
  const only = argv === undefined ? undefined : invokedCommand(argv);
  if (only === null) return;
  const names = only === undefined ? Object.keys(COMMANDS) : [only];
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program, ctx);
}
