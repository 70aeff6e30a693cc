/**
 * The plan as a pull-request comment: summary and counts first, held-back changes and warnings,
 * then one collapsed `<details>` with a ```diff block per resource. GitHub rejects comment bodies
 * over 65,536 characters, so the result never exceeds `maxChars`: what does not fit is left out
 * with a note pointing at the full plan.
 */
import { actionSymbol, type ChangeAction, type Plan, type ResourceChange } from './plan.ts';
import { summaryLine } from './plan-summary.ts';
import { scrubText } from './redact.ts';
import { fieldLines } from './render-lines.ts';

export interface MarkdownRenderOptions {
  /** What the plan is for (environment, directory), shown in the heading. */
  target?: string;
  /** Default 65,536 (GitHub's comment limit). */
  maxChars?: number;
  /** Where the full plan can be read (CI artifact, job log) when the comment is truncated. */
  fullPlanUrl?: string;
  secretValues?: readonly string[];
}

export const GITHUB_COMMENT_LIMIT = 65_536;
/** One huge value (512 KiB of metadata) must not crowd every other resource out. */
const MAX_VALUE_CHARS = 2_000;

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(value: string): string {
  if (value.length <= MAX_VALUE_CHARS) return value;
  return `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length - MAX_VALUE_CHARS} more characters)`;
}

/** A fence longer than any backtick run inside, so values cannot close the block. */
function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function diffBody(change: ResourceChange): string {
  const lines: string[] = [];
  for (const line of fieldLines(change)) {
    if (line.kind === 'change') lines.push(`- ${line.field}: ${clip(line.before ?? '')}`);
    lines.push(`+ ${line.field}: ${clip(line.after ?? '')}`);
  }
  if (lines.length === 0) lines.push(`${actionSymbol[change.action]} ${change.address}`);
  return lines.join('\n');
}

function detailsBlock(change: ResourceChange): string {
  const reason = change.actionReason === '' ? '' : ` ${escapeHtml(change.actionReason)}`;
  const title = `<code>${escapeHtml(`${actionSymbol[change.action]} ${change.address}`)}</code>${reason}`;
  const body = diffBody(change);
  const fence = fenceFor(body);
  return `<details><summary>${title}</summary>\n\n${fence}diff\n${body}\n${fence}\n\n</details>\n`;
}

const rows: { label: string; actions: ChangeAction[] }[] = [
  { label: '`+` create', actions: ['create'] },
  { label: '`~` update in place', actions: ['update'] },
  { label: '`-/+` replace', actions: ['replace'] },
  { label: '`-` delete', actions: ['delete'] },
  { label: '`>` `x` `!` other', actions: ['start', 'stop', 'moderate'] },
];

function head(plan: Plan, target: string | undefined): string {
  const title =
    target === undefined ? '### livekit-gitops plan' : `### livekit-gitops plan for \`${target}\``;
  const out = [title, '', `**${summaryLine(plan)}**`, ''];
  if (plan.changes.length > 0 || plan.held.length > 0) {
    out.push('| Action | Count |', '| --- | ---: |');
    for (const row of rows) {
      const count = plan.changes.filter((c) => row.actions.includes(c.action)).length;
      out.push(`| ${row.label} | ${count} |`);
    }
    out.push(`| held back | ${plan.held.length} |`, '');
  }
  if (plan.evaluatedAt !== plan.createdAt)
    out.push(`Schedules evaluated at ${plan.evaluatedAt}.`, '');
  return `${out.join('\n')}\n`;
}

interface Part {
  text: string;
  /** Counts toward "N of M changes not shown". */
  change: boolean;
}

/** The truncatable parts, in priority order. */
function parts(plan: Plan): Part[] {
  const out: Part[] = [];
  const push = (text: string, change = false): void => {
    out.push({ text, change });
  };
  if (plan.held.length > 0) {
    push('#### Held back (not changed now)\n\n');
    for (const held of plan.held) {
      push(`- \`${actionSymbol[held.action]} ${held.address}\`: ${clip(held.reason)}\n`);
    }
    push('\n');
  }
  if (plan.warnings.length > 0) {
    push('#### Warnings\n\n');
    for (const warning of plan.warnings) push(`- ${clip(warning)}\n`);
    push('\n');
  }
  if (plan.changes.length > 0) push('#### Changes\n\n');
  for (const change of plan.changes) push(detailsBlock(change), true);
  return out;
}

function truncationNote(omitted: number, total: number, url: string | undefined): string {
  const where =
    url === undefined ? 'Run `livekit-gitops plan` for the full plan.' : `Full plan: ${url}`;
  return `\n> **Output truncated** to stay within the comment size limit: ${omitted} of ${total} changes not shown. ${where}\n`;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownRenderOptions = {}): string {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const secrets = options.secretValues ?? [];
  const top = scrubText(head(plan, options.target), secrets);
  const all = parts(plan).map((part) => ({ ...part, text: scrubText(part.text, secrets) }));
  const full = top + all.map((part) => part.text).join('');
  if (full.length <= maxChars) return full;
  const total = plan.changes.length;
  // Reserve room for the note with the largest numbers it can carry.
  const reserve = truncationNote(total, total, options.fullPlanUrl).length;
  let used = top.length;
  let kept = 0;
  let shownChanges = 0;
  for (const part of all) {
    if (used + part.text.length + reserve > maxChars) break;
    used += part.text.length;
    kept += 1;
    if (part.change) shownChanges += 1;
  }
  const body = all
    .slice(0, kept)
    .map((part) => part.text)
    .join('');
  const result = top + body + truncationNote(total - shownChanges, total, options.fullPlanUrl);
  // Only a pathological heading (a huge target or URL) gets here; the limit still holds.
  return result.length <= maxChars ? result : result.slice(0, maxChars);
}
