import type { Command } from 'commander';
import type { CommandContext } from '../program.ts';

/** Every command registers itself here, one file each. */
export function registerCommands(_program: Command, _ctx: CommandContext): void {}
