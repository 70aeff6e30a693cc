/**
 * The field lines of one change, shared by the text and markdown renderers: what a create sets,
 * what an update or replace changes (`field: old → new`), nothing more for a delete. Sensitive
 * paths are masked here, so no renderer can forget it.
 */
import type { JsonValue, ResourceChange } from './plan.ts';
import { formatValue, maskSensitive } from './redact.ts';

export interface FieldLine {
  field: string;
  /** Present for changed fields; absent for a create's values. */
  before?: string;
  after?: string;
  /** 'set' for a create, 'change' for a changed field, 'remove' for a delete's identity line. */
  kind: 'set' | 'change' | 'remove';
}

export function fieldLines(change: ResourceChange): FieldLine[] {
  const before = maskSensitive(change.before, change.sensitivePaths);
  const after = maskSensitive(change.after, change.sensitivePaths);
  const get = (fields: { [key: string]: JsonValue } | null, key: string): JsonValue | undefined =>
    fields === null ? undefined : fields[key];
  if (change.action === 'update' || change.action === 'replace') {
    return change.changedFields.map((field) => ({
      field,
      before: formatValue(get(before, field)),
      after: formatValue(get(after, field)),
      kind: 'change',
    }));
  }
  if (after !== null && change.action !== 'delete' && change.action !== 'stop') {
    return Object.keys(after).map((field) => ({
      field,
      after: formatValue(after[field]),
      kind: 'set',
    }));
  }
  return [];
}

/** Pads field names so the values line up, as Terraform does. */
export function fieldWidth(lines: readonly FieldLine[]): number {
  return lines.reduce((width, line) => Math.max(width, line.field.length), 0);
}
