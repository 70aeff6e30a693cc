/** One ajv instance (draft 2020-12, allErrors); each schema compiled once and cached. */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { TSchema } from 'typebox';

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

export function validator(schema: TSchema): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit) return hit;
  ajv ??= new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    // oneOf branches name fields declared by the parent object, which strictRequired rejects.
    strictRequired: false,
    strictTypes: false,
    allowUnionTypes: true,
  });
  // Schemas carry `examples`, which ajv's strict mode accepts as an annotation.
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}
