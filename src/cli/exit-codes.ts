/**
 * Exit codes, documented in docs/exit-codes.md. Never remapped silently.
 * `plan --detailed-exitcode` follows Terraform: 0 no changes, 1 error, 2 changes.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  stalePlan: 3,
  lockHeld: 4,
  githubFailed: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
