/**
 * The kinds by name, without their schemas (typebox stays out of the loader's start-up): the
 * registry's list (src/kinds/index.ts), written into the generated validators at build.
 */
import { KINDS } from './generated/validators.js';

export { KINDS };

export type Kind = (typeof KINDS)[number];

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}
