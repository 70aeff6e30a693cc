/**
 * The diagnostics of several targets as one list: a problem of the base shows once, a problem only
 * some targets have (an overlay's, a document limited to them) names those targets. Pure.
 */
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';

export interface TargetDiagnostics {
  target: string;
  diagnostics: readonly Diagnostic[];
}

export interface MergedDiagnostic {
  diagnostic: Diagnostic;
  /** The targets that have it; every target when it is the base's. */
  targets: string[];
}

function keyOf(d: Diagnostic): string {
  return `${d.file}|${d.line}|${d.col}|${d.code}|${d.message}`;
}

export function mergeTargetDiagnostics(results: readonly TargetDiagnostics[]): MergedDiagnostic[] {
  const merged = new Map<string, MergedDiagnostic>();
  for (const r of results) {
    for (const d of r.diagnostics) {
      const key = keyOf(d);
      const found = merged.get(key);
      if (found) found.targets.push(r.target);
      else merged.set(key, { diagnostic: d, targets: [r.target] });
    }
  }
  const order = new Map(
    sortDiagnostics([...merged.values()].map((m) => m.diagnostic)).map((d, i) => [d, i]),
  );
  return [...merged.values()].sort((a, b) => order.get(a.diagnostic)! - order.get(b.diagnostic)!);
}

/** The diagnostic as printed: with `(target a, b)` when not every target has it. */
export function labelled(m: MergedDiagnostic, all: number): Diagnostic {
  if (m.targets.length === all) return m.diagnostic;
  const which = `${m.targets.length === 1 ? 'target' : 'targets'} ${m.targets.join(', ')}`;
  return { ...m.diagnostic, message: `${m.diagnostic.message} (${which})` };
}
