import type { Diagnostic } from '../../core/diagnostics.ts';
import type { SemanticContext, SemanticRule } from './context.ts';
import { duplicateNames } from './duplicate-names.ts';
import { references } from './references.ts';
import { schedules } from './schedules.ts';
import { secretRefs } from './secret-refs.ts';
import { selectors } from './selectors.ts';
import { valueLimits } from './value-limits.ts';

export const SEMANTIC_RULES: readonly SemanticRule[] = [
  duplicateNames,
  references,
  selectors,
  schedules,
  secretRefs,
  valueLimits,
];

export function runSemanticRules(ctx: SemanticContext): Diagnostic[] {
  return SEMANTIC_RULES.flatMap((rule) => rule(ctx));
}
