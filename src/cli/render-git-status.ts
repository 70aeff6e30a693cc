/** The git source's lines in `livekit-gitops status`: fetched, applied and refused commits. */
import type { CommitInfo, GitSourceStatus } from '../core/git-commit.ts';

function commitText(c: CommitInfo): string {
  return `${c.sha.slice(0, 12)} "${c.subject}" by ${c.author} (${c.time})`;
}

export function gitStatusLines(git: GitSourceStatus): string[] {
  const out = [`git: ${git.url} ${git.ref} (path ${git.path})`];
  out.push(
    git.applied
      ? `  applied:  ${commitText(git.applied)}, since ${git.applied.since}`
      : '  applied:  none yet',
  );
  if (git.fetched && git.fetched.sha !== git.applied?.sha) {
    out.push(`  fetched:  ${commitText(git.fetched)} at ${git.fetched.at}`);
  }
  if (git.rejected) {
    out.push(
      `  refused:  ${commitText(git.rejected)} (${git.rejected.reason}) at ${git.rejected.at}`,
    );
    for (const e of git.rejected.errors.slice(0, 20)) out.push(`    ${e}`);
  }
  if (git.lastFetch?.result === 'error') {
    out.push(`  last fetch failed at ${git.lastFetch.time}: ${git.lastFetch.message ?? ''}`);
  }
  return out;
}

export function specCommitLine(c: CommitInfo): string {
  return `  spec commit:  ${commitText(c)}`;
}
