import type { Diagnostic } from '../../core/diagnostics.ts';
import type { PathSegment } from '../positions.ts';
import { at, type SemanticContext } from './context.ts';

/** Every `{fromEnv}` / `{fromFile}` reference in a value, with its path. */
export function findSecretRefs(
  value: unknown,
  path: PathSegment[] = [],
): { path: PathSegment[]; ref: { fromEnv: string } | { fromFile: string } }[] {
  const out: { path: PathSegment[]; ref: { fromEnv: string } | { fromFile: string } }[] = [];
  const stack: { v: unknown; p: PathSegment[] }[] = [{ v: value, p: path }];
  while (stack.length > 0) {
    const { v, p } = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, p: [...p, i] }));
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o['fromEnv'] === 'string')
        out.push({ path: p, ref: { fromEnv: o['fromEnv'] } });
      else if (keys.length === 1 && typeof o['fromFile'] === 'string')
        out.push({ path: p, ref: { fromFile: o['fromFile'] } });
      else for (const k of keys) stack.push({ v: o[k], p: [...p, k] });
    }
  }
  return out.sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
}

/**
 * The schema checks the shape; here what it cannot: `fromFile` paths are resolved against the spec
 * file's directory, so a `~` (never expanded) or a NUL byte cannot work.
 */
export function secretRefs(ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const spec of ctx.specs) {
    for (const { path, ref } of findSecretRefs(spec.spec, ['spec'])) {
      if (!('fromFile' in ref)) continue;
      if (ref.fromFile.startsWith('~')) {
        out.push(
          at(
            spec,
            [...path, 'fromFile'],
            'E_SECRET_REF',
            `fromFile '${ref.fromFile}': '~' is not expanded`,
            'use a path relative to the spec file',
          ),
        );
      } else if (ref.fromFile.includes('\0')) {
        out.push(
          at(spec, [...path, 'fromFile'], 'E_SECRET_REF', 'fromFile path contains a NUL byte'),
        );
      }
    }
  }
  return out;
}
