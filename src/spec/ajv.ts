/** One ajv instance (draft 2020-12, allErrors); each schema compiled once and cached. */
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import type { TSchema } from 'typebox';

/** Shared with scripts/generate-validators.ts, so the generated validators behave the same. */
export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  // oneOf branches name fields declared by the parent object, which strictRequired rejects.
  strictRequired: false,
  strictTypes: false,
  allowUnionTypes: true,
} as const satisfies Options;

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Compiles at run time: for tests and tools. The CLI and daemon use the validators generated at
 * build time (src/spec/validators.ts), which skip both this compile and loading typebox.
 */
export function validator(schema: TSchema): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  ajv ??= new Ajv2020(AJV_OPTIONS);
  // Schemas carry `examples`, which ajv's strict mode accepts as an annotation.
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}
