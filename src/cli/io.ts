/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress). */
  isTTY: boolean;
  /** Whether stdin is a terminal (prompts). */
  stdinIsTTY: boolean;
  /** Ask a yes/no question on a TTY; resolves to the answer line. */
  prompt(question: string): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}
