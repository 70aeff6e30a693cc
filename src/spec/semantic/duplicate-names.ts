import type { Diagnostic } from '../../core/diagnostics.ts';
import type { LoadedSpec } from '../types.ts';
import { at, type SemanticContext } from './context.ts';

/** A name is unique per kind: the second and later declarations are errors. */
export function duplicateNames(ctx: SemanticContext): Diagnostic[] {
  const first = new Map<string, LoadedSpec>();
  const out: Diagnostic[] = [];
  for (const spec of ctx.specs) {
    const key = `${spec.kind}/${spec.name}`;
    const prior = first.get(key);
    if (!prior) {
      first.set(key, spec);
      continue;
    }
    out.push(
      at(
        spec,
        ['metadata', 'name'],
        'E_DUPLICATE_NAME',
        `${spec.kind} '${spec.name}' is declared twice (first at ${prior.source.file}:${prior.source.line}:${prior.source.col})`,
      ),
    );
  }
  return out;
}
