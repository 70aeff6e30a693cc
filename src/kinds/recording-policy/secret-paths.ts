/** Secret references in JSON values (the spec's `{fromEnv}` / `{fromFile}`), without node imports. */
import type { JsonValue } from '../../core/plan.ts';

export const REDACTED_REF = '(sensitive)';

export function isSecretRefValue(value: JsonValue | undefined): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    (typeof value['fromEnv'] === 'string' || typeof value['fromFile'] === 'string')
  );
}
