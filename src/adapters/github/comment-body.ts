/**
 * The sticky comment's body: a hidden marker line that finds it again, the markdown plan, and a
 * footer naming the commit. Pure; the whole body never exceeds GitHub's 65,536-character limit.
 */
import { UsageError } from '../../core/errors.ts';

/** GitHub rejects issue comments longer than this (counted generously as UTF-16 code units). */
export const maxCommentChars = 65_536;

export const defaultTarget = 'default';

const targetPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Targets become part of the marker and the status context, so they are kept to a safe charset. */
export function checkTarget(target: string): string {
  if (!targetPattern.test(target))
    throw new UsageError(
      `Bad target "${target}": use letters, digits, '.', '_' or '-' (at most 63 characters).`,
    );
  return target;
}

/** The hidden first line that identifies this tool's comment for one target. */
export function planMarker(target: string = defaultTarget): string {
  return `<!-- livekit-gitops:plan target=${checkTarget(target)} -->`;
}

/** Whether a comment body is this tool's plan comment for `target` (marker on the first line, exactly). */
export function isPlanComment(body: string | null | undefined, target: string): boolean {
  if (!body) return false;
  const first = body.split('\n', 1)[0] ?? '';
  return first.trim() === planMarker(target);
}

export interface CommentBodyInput {
  target?: string | undefined;
  /** The markdown plan (summary first, one `<details>` per resource). */
  markdown: string;
  headSha?: string | undefined;
  /** The workflow run, where the job summary and the plan artifact hold the full plan. */
  runUrl?: string | undefined;
  maxChars?: number | undefined;
}

export function buildCommentBody(input: CommentBodyInput): string {
  const target = input.target ?? defaultTarget;
  const max = input.maxChars ?? maxCommentChars;
  const header =
    planMarker(target) +
    '\n' +
    (target === defaultTarget ? '### LiveKit plan\n\n' : `### LiveKit plan: \`${target}\`\n\n`);
  const footer = buildFooter(input.headSha, input.runUrl);
  const markdown = input.markdown.trimEnd();
  const whole = `${header}${markdown}\n\n${footer}`;
  if (whole.length <= max) return whole;

  const note = truncationNote(markdown.length, input.runUrl);
  // Room for the closers a cut may need (code fence, <details>); the loop below settles the rest.
  let budget = max - header.length - footer.length - note.length - 64;
  for (let i = 0; i < 8 && budget > 0; i++) {
    const cut = closeOpenBlocks(cutAtLine(markdown, budget));
    const body = `${header}${cut}\n\n${note}\n\n${footer}`;
    if (body.length <= max) return body;
    budget -= body.length - max + 64;
  }
  // Header, note and footer alone are far below the limit; this is only reachable with a tiny max.
  return `${header}${note}\n\n${footer}`.slice(0, max);
}

function buildFooter(headSha: string | undefined, runUrl: string | undefined): string {
  const parts: string[] = [];
  if (headSha) parts.push(`commit \`${headSha.slice(0, 12)}\``);
  if (runUrl) parts.push(`[workflow run](${runUrl})`);
  const where = parts.length ? ` for ${parts.join(' · ')}` : '';
  return `<sub>Posted by livekit-gitops${where}.</sub>`;
}

function truncationNote(fullLength: number, runUrl: string | undefined): string {
  const where = runUrl
    ? `in the [workflow run](${runUrl}): its job summary and the plan artifact`
    : "in the workflow run's job summary and the plan artifact";
  return (
    `> [!WARNING]\n> The plan (${fullLength.toLocaleString('en-US')} characters) is longer than a ` +
    `GitHub comment allows, so it was truncated here. The full plan is ${where}.`
  );
}

/** The longest prefix within `budget` that ends at a line break (never inside a surrogate pair). */
function cutAtLine(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const nl = text.lastIndexOf('\n', budget);
  if (nl > 0) return text.slice(0, nl);
  const code = text.charCodeAt(budget - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? budget - 1 : budget);
}

/** Closes a code fence and `<details>` blocks that the cut left open, so the rest renders. */
function closeOpenBlocks(text: string): string {
  let out = text;
  const fences = (out.match(/^\s*```/gm) ?? []).length;
  if (fences % 2 === 1) out += '\n```';
  const opened = (out.match(/<details\b/g) ?? []).length;
  const closed = (out.match(/<\/details>/g) ?? []).length;
  for (let i = closed; i < opened; i++) out += '\n</details>';
  return out;
}
