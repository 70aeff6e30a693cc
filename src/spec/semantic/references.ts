import { didYouMean, type Diagnostic } from '../../core/diagnostics.ts';
import { at, ofKind, type SemanticContext } from './context.ts';

function hintFor(name: string, known: readonly string[]): string | undefined {
  const near = didYouMean(name, known);
  return near ? `did you mean '${near}'?` : undefined;
}

/**
 * `role:` in moderation rules names a Role; `trunks:` in dispatch rules name SIPInboundTrunks; a
 * Role's `agents` name agents a Room or an AgentPolicy declares (an explicit-dispatch worker gets
 * only jobs that spell its name exactly, so a typo would bring no agent and say nothing).
 */
export function references(ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [...roleAgentReferences(ctx)];
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

/** Agent names declared by Rooms and AgentPolicies. */
export function declaredAgentNames(ctx: SemanticContext): string[] {
  const names = new Set<string>();
  for (const room of ofKind(ctx.specs, 'Room')) {
    for (const a of room.spec.agents ?? []) names.add(a.agentName);
  }
  for (const policy of ofKind(ctx.specs, 'AgentPolicy')) names.add(policy.spec.agent.agentName);
  return [...names];
}

function roleAgentReferences(ctx: SemanticContext): Diagnostic[] {
  const known = declaredAgentNames(ctx);
  const out: Diagnostic[] = [];
  for (const role of ofKind(ctx.specs, 'Role')) {
    (role.spec.agents ?? []).forEach((a, i) => {
      if (known.includes(a.agentName)) return;
      out.push(
        at(
          role,
          ['spec', 'agents', i, 'agentName'],
          'E_UNKNOWN_REF',
          `Role '${role.name}': no Room or AgentPolicy declares an agent named '${a.agentName}'`,
          hintFor(a.agentName, known),
        ),
      );
    });
  }
  return out;
}
