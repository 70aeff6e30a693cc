import { Command, CommanderError } from 'commander';
import { reportError } from './errors-to-exit.ts';
import { ExitCode } from './exit-codes.ts';
import { packageVersion, type CommandContext } from './command-context.ts';
import type { CliIO } from './io.ts';
import { registerCommands } from './commands/index.ts';

/** `argv` given: only the command it names is loaded (see registerCommands). */
export async function buildProgram(
  ctx: CommandContext,
  argv?: readonly string[],
): Promise<Command> {
  const program = new Command('livekit-gitops')
    .description('GitOps for LiveKit: validate, plan and apply YAML specs; reconcile continuously.')
    .version(packageVersion(), '-v, --version')
    .option('--config <file>', 'project config file', 'livekit-gitops.yaml')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
    });
  await registerCommands(program, ctx, argv);
  return program;
}

/** Runs the CLI and returns the exit code. Nothing below this prints or exits. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  try {
    const program = await buildProgram({ io, setExitCode: (c) => (exitCode = c) }, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    }
    const reported = reportError(err, Boolean(io.env['LKG_DEBUG']));
    io.stderr(reported.message + '\n');
    return reported.exitCode;
  }
}
