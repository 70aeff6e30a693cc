/**
 * The schema validators the loader uses: ajv standalone code generated at build from the typebox
 * schemas (src/spec/validator-code.ts), so loading specs neither compiles schemas nor loads
 * typebox or ajv.
 */
import type { ValidateFunction } from 'ajv';
import * as generated from './generated/validators.js';
import type { Kind } from './kind-names.ts';

export function documentValidator(kind: Kind): ValidateFunction {
  return generated[kind];
}

export const configValidator: ValidateFunction = generated.ProjectConfig;
