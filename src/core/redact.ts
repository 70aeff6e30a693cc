/**
 * Defence in depth for secrets in rendered plans. Changes already hold placeholders for secret
 * references; the renderers additionally mask `sensitivePaths` and scrub any known secret value,
 * raw or JSON-escaped, from everything they output.
 */
import type { JsonValue } from './plan.ts';

export const SENSITIVE = '(sensitive value)';

/** Longest first, so a secret that contains another is replaced whole. */
function needles(secretValues: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secretValues) {
    if (secret === '') continue;
    forms.add(secret);
    // How the value looks inside a JSON string literal (quotes, backslashes, newlines escaped).
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, secretValues: readonly string[] = []): string {
  let result = text;
  for (const needle of needles(secretValues)) result = result.split(needle).join(SENSITIVE);
  return result;
}

/** Scrubs every string (keys included) in a JSON value. */
export function scrubJson(value: JsonValue, secretValues: readonly string[] = []): JsonValue {
  if (secretValues.length === 0) return value;
  if (typeof value === 'string') return scrubText(value, secretValues);
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, secretValues));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, member] of Object.entries(value)) {
      out[scrubText(key, secretValues)] = scrubJson(member, secretValues);
    }
    return out;
  }
  return value;
}

/** Whether a dot path is, or lies under, one of the sensitive paths. */
export function isSensitivePath(path: string, sensitivePaths: readonly string[]): boolean {
  return sensitivePaths.some((p) => path === p || path.startsWith(`${p}.`));
}

/** A copy with every sensitive path's value replaced by the placeholder. */
export function maskSensitive(
  fields: { [key: string]: JsonValue } | null,
  sensitivePaths: readonly string[],
  prefix = '',
): { [key: string]: JsonValue } | null {
  if (fields === null || sensitivePaths.length === 0) return fields;
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(fields)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isSensitivePath(path, sensitivePaths)) out[key] = SENSITIVE;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = maskSensitive(value, sensitivePaths, path);
    } else out[key] = value;
  }
  return out;
}

/** One value as the text and markdown plans show it: JSON literal, or the placeholder. */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '(unset)';
  if (value === SENSITIVE) return SENSITIVE;
  return JSON.stringify(value);
}
