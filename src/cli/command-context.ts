/**
 * What every command module receives, and the tool's version. Kept apart from program.ts so the
 * command modules never import the program that registers them (no import circle).
 */
import { readFileSync } from 'node:fs';
import type { CliIO } from './io.ts';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** A command's action resolves to its exit code; the program stores it here. */
export interface CommandContext {
  io: CliIO;
  setExitCode(code: number): void;
}
