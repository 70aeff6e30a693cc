/** The git source's settings. */
import type { GitAuthConfig } from '../../adapters/git/git-auth.ts';

/** `source.git` of the config, with defaults filled in and references not yet resolved. */
export interface GitSourceConfig {
  url: string;
  /** A branch name (`main`) or a full ref (`refs/heads/main`, `refs/tags/v1`). */
  ref: string;
  /** Spec files or directories inside the repository (default `.`). */
  path: string;
  intervalMs: number;
  auth?: GitAuthConfig;
  verify?: { allowedSigners: { fromFile: string } };
  /** `POST /hooks/git`: GitHub's X-Hub-Signature-256 HMAC secret, by reference. */
  webhook?: { secret: { fromEnv: string } | { fromFile: string } };
}
