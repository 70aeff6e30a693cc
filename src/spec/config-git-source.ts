/** Checks of `source.git` that a JSON schema cannot say, each at its file:line:col. */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { ProjectConfigInput } from './config-schema.ts';
import { parseDuration } from './duration.ts';
import type { Locator } from './positions.ts';

/** `scheme://user:password@host`: a credential written into the URL. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i;

/** Why `url` cannot be a git source's URL, or undefined when it can. */
export function gitUrlProblem(url: string): string | undefined {
  if (URL_WITH_PASSWORD.test(url)) {
    return 'must not hold a credential; reference one with source.git.auth';
  }
  if (/^ext::/i.test(url) || url.startsWith('-')) return 'this transport is not allowed';
  return undefined;
}

/** Why `p` cannot be a path inside the repository, or undefined when it can. */
export function gitPathProblem(p: string): string | undefined {
  return p.startsWith('/') || p.split('/').includes('..')
    ? 'is a path inside the repository (relative, no ..)'
    : undefined;
}

export function gitSourceDiagnostics(
  input: ProjectConfigInput,
  file: string,
  locate: Locator,
): Diagnostic[] {
  const git = input.source?.git;
  if (!git) return [];
  const out: Diagnostic[] = [];
  const at = (...p: string[]) => ({ file, ...locate(['source', 'git', ...p]) });
  const urlProblem = gitUrlProblem(git.url);
  if (urlProblem !== undefined) {
    const code = URL_WITH_PASSWORD.test(git.url) ? 'E_SECRET_REF' : 'E_SCHEMA_FORMAT';
    out.push(
      diagnostic(code, `source.git.url ${urlProblem}`, at('url'), { path: 'source.git.url' }),
    );
  }
  if (git.interval !== undefined && parseDuration(git.interval) === 0) {
    out.push(
      diagnostic('E_DURATION', 'source.git.interval must be longer than 0', at('interval'), {
        path: 'source.git.interval',
      }),
    );
  }
  const pathProblem = git.path === undefined ? undefined : gitPathProblem(git.path);
  if (pathProblem !== undefined) {
    out.push(
      diagnostic('E_SCHEMA_FORMAT', `source.git.path ${pathProblem}`, at('path'), {
        path: 'source.git.path',
      }),
    );
  }
  return out;
}
