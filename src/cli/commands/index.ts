import type { Command } from 'commander';
import type { CommandContext } from '../program.ts';
import { registerApply } from './apply.ts';
import { registerDaemon } from './daemon.ts';
import { registerGitHub } from './github.ts';
import { registerImport } from './import.ts';
import { registerPlan } from './plan.ts';
import { registerState } from './state.ts';
import { registerStatus } from './status.ts';
import { registerToken } from './token.ts';
import { registerValidate } from './validate.ts';

/** Every command registers itself here, one file each. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerPlan(program, ctx);
  registerApply(program, ctx);
  registerGitHub(program, ctx);
  registerState(program, ctx);
  registerValidate(program, ctx);
  registerDaemon(program, ctx);
  registerStatus(program, ctx);
  registerToken(program, ctx);
  registerImport(program, ctx);
}
