/**
 * The registry: every kind once, in plan order (a kind after the kinds it `dependsOn`). The
 * pipeline (src/app, src/daemon) iterates this list and never names a kind; adding a kind is its
 * folder plus one line here (docs/architecture.md has the checklist the completeness test enforces).
 */
import type { KindModule } from './kind.ts';
import { agentPolicyModule } from './agent-policy/module.ts';
import { ingressModule } from './ingress/module.ts';
import { moderationModule } from './moderation-rule/module.ts';
import { recordingModule } from './recording-policy/module.ts';
import { roleModule } from './role/module.ts';
import { roomModule } from './room/module.ts';
import { sipDispatchModule } from './sip-dispatch-rule/module.ts';
import { sipInboundModule } from './sip-inbound-trunk/module.ts';
import { sipOutboundModule } from './sip-outbound-trunk/module.ts';

export const KIND_MODULES: readonly KindModule[] = [
  roomModule,
  moderationModule,
  recordingModule,
  roleModule,
  sipInboundModule,
  sipOutboundModule,
  sipDispatchModule,
  ingressModule,
  agentPolicyModule,
];

const byKind = new Map(KIND_MODULES.map((m) => [m.kind, m]));

export function kindModule(kind: string): KindModule | undefined {
  return byKind.get(kind);
}

/** The apply phase of a kind's changes: one after the latest phase of the kinds it applies after. */
function phaseOf(kind: string, seen: ReadonlySet<string> = new Set()): number {
  const after = byKind.get(kind)?.applyAfter ?? [];
  if (seen.has(kind)) throw new Error(`applyAfter cycle through ${kind}`);
  const next = new Set([...seen, kind]);
  return after.reduce((p, k) => Math.max(p, phaseOf(k, next) + 1), 0);
}

const phases = new Map(KIND_MODULES.map((m) => [m.kind, phaseOf(m.kind)]));
/** Deletes run after everything else. */
const DELETE_PHASE = Math.max(...phases.values()) + 1;

/** Phase of one change in apply: phases run one after another, a phase's changes concurrently. */
export function applyPhase(change: { kind: string; action: string }): number {
  return change.action === 'delete' ? DELETE_PHASE : (phases.get(change.kind) ?? 0);
}
