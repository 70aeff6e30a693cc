/**
 * Runs `node src/cli/main.ts ...` as GitHub Actions would: the Actions environment (token,
 * repository, a pull_request event file, run id, step summary) pointed at the local stand-in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'src/cli/main.ts'), ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
