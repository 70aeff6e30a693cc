/**
 * Runs `node src/cli/main.ts ...` as GitHub Actions would: the Actions environment (token,
 * repository, a pull_request event file, run id, step summary) pointed at the local stand-in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEntry, collect } from './cli.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ActionsEnvInput {
  apiUrl: string;
  token: string;
  pr: number;
  headSha: string;
  repository?: string;
  runId?: string;
}

export interface ActionsEnv {
  env: Record<string, string>;
  dir: string;
  stepSummaryPath: string;
}

/** A temp dir with the event file and an empty step summary, and the env that points at them. */
export function actionsEnv(input: ActionsEnvInput): ActionsEnv {
  const dir = mkdtempSync(join(tmpdir(), 'lkg-gh-'));
  const repository = input.repository ?? 'acme/specs';
  const eventPath = join(dir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: input.pr,
      pull_request: {
        number: input.pr,
        head: { sha: input.headSha, ref: 'feature' },
        base: { ref: 'main' },
      },
      repository: { full_name: repository },
    }),
  );
  const stepSummaryPath = join(dir, 'step-summary.md');
  writeFileSync(stepSummaryPath, '');
  return {
    dir,
    stepSummaryPath,
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_TOKEN: input.token,
      GITHUB_REPOSITORY: repository,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: input.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: input.runId ?? '4242',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_STEP_SUMMARY: stepSummaryPath,
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process with only the given environment (plus PATH/HOME). */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<CliResult> {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
  const r = await collect(child, 60_000);
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}
