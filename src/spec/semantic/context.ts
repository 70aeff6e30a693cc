import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../core/diagnostics.ts';
import type { PathSegment } from '../positions.ts';
import { dottedPath } from '../positions.ts';
import type { LoadedSpec } from '../types.ts';

export interface SemanticContext {
  specs: readonly LoadedSpec[];
}

/** A semantic rule: pure, reads the specs, returns problems. */
export type SemanticRule = (ctx: SemanticContext) => Diagnostic[];

/** A diagnostic at a node of a spec. */
export function at(
  spec: LoadedSpec,
  path: readonly PathSegment[],
  code: DiagnosticCode,
  message: string,
  hint?: string,
): Diagnostic {
  const pos = spec.locate(path);
  return diagnostic(
    code,
    message,
    { file: spec.source.file, ...pos },
    { path: dottedPath(path), hint },
  );
}

export function ofKind<K extends LoadedSpec['kind']>(
  specs: readonly LoadedSpec[],
  kind: K,
): Extract<LoadedSpec, { kind: K }>[] {
  return specs.filter((s): s is Extract<LoadedSpec, { kind: K }> => s.kind === kind);
}
