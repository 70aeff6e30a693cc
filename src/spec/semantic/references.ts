import { didYouMean, type Diagnostic } from '../../core/diagnostics.ts';
import { at, ofKind, type SemanticContext } from './context.ts';

function hintFor(name: string, known: readonly string[]): string | undefined {
  const near = didYouMean(name, known);
  return near ? `did you mean '${near}'?` : undefined;
}

/** `role:` in moderation rules names a Role; `trunks:` in dispatch rules name SIPInboundTrunks. */
export function references(ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const roles = ofKind(ctx.specs, 'Role').map((r) => r.name);
  for (const mr of ofKind(ctx.specs, 'ModerationRule')) {
    (mr.spec.rules ?? []).forEach((rule, i) => {
      if (rule.role !== undefined && !roles.includes(rule.role)) {
        out.push(
          at(
            mr,
            ['spec', 'rules', i, 'role'],
            'E_UNKNOWN_REF',
            `no Role named '${rule.role}'`,
            hintFor(rule.role, roles),
          ),
        );
      }
    });
  }
  const trunks = ofKind(ctx.specs, 'SIPInboundTrunk').map((t) => t.name);
  for (const dr of ofKind(ctx.specs, 'SIPDispatchRule')) {
    (dr.spec.trunks ?? []).forEach((t, i) => {
      if (!trunks.includes(t)) {
        out.push(
          at(
            dr,
            ['spec', 'trunks', i],
            'E_UNKNOWN_REF',
            `no SIPInboundTrunk named '${t}'`,
            hintFor(t, trunks),
          ),
        );
      }
    });
  }
  return out;
}
