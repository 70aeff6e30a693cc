/**
 * The human plan, Terraform-like: one block per change (symbol, address, reason, fields), then
 * held-back changes and warnings, then the summary line. ANSI colour only when asked (the CLI
 * decides from the TTY and NO_COLOR).
 */
import { actionSymbol, type ChangeAction, type Plan, type ResourceChange } from './plan.ts';
import { summaryLine } from './plan-summary.ts';
import { scrubText } from './redact.ts';
import { fieldLines, fieldWidth } from './render-lines.ts';

export interface TextRenderOptions {
  color: boolean;
  /** Known secret values, scrubbed from the output whatever field they hide in. */
  secretValues?: readonly string[];
}

const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const colours: Record<ChangeAction, string> = {
  create: '\u001b[32m',
  update: '\u001b[33m',
  delete: '\u001b[31m',
  replace: '\u001b[35m',
  start: '\u001b[32m',
  stop: '\u001b[31m',
  moderate: '\u001b[36m',
};

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${RESET}` : text;
}

function block(change: ResourceChange, color: boolean): string[] {
  const symbol = paint(actionSymbol[change.action], colours[change.action], color);
  const reason = change.actionReason === '' ? '' : ` (${change.actionReason})`;
  const out = [`  ${symbol} ${paint(change.address, BOLD, color)}${reason}`];
  const lines = fieldLines(change);
  const width = fieldWidth(lines);
  for (const line of lines) {
    const label = `${line.field}:`.padEnd(width + 1);
    out.push(
      line.kind === 'change'
        ? `      ${label} ${line.before ?? ''} → ${line.after ?? ''}`
        : `      ${label} ${line.after ?? ''}`,
    );
  }
  return out;
}

export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const { color } = options;
  const out: string[] = [];
  if (plan.evaluatedAt !== plan.createdAt) {
    out.push(`Schedules evaluated at ${plan.evaluatedAt}.`, '');
  }
  if (plan.changes.length > 0) {
    out.push('livekit-gitops will perform the following actions:', '');
    for (const change of plan.changes) out.push(...block(change, color), '');
  }
  if (plan.held.length > 0) {
    out.push('Held back (not changed now):');
    for (const held of plan.held) {
      const symbol = paint(actionSymbol[held.action], colours[held.action], color);
      out.push(`  ${symbol} ${held.address}: ${held.reason}`);
    }
    out.push('');
  }
  if (plan.warnings.length > 0) {
    out.push(paint('Warnings:', '\u001b[33m', color));
    for (const warning of plan.warnings) out.push(`  - ${warning}`);
    out.push('');
  }
  out.push(paint(summaryLine(plan), BOLD, color));
  return scrubText(`${out.join('\n')}\n`, options.secretValues);
}
