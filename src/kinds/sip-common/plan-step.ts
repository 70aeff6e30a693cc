/**
 * The persistent kinds in plan/apply/daemon: one list call per kind, only when specs of that kind
 * exist or state holds entries of it; then each kind's inventory is settled against its list and
 * planned. Trunks come before dispatch rules (a rule reads the settled trunk ids).
 */
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { BoundKind } from '../../core/kind-planner.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type {
  LiveIngress,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
} from '../../core/live.ts';
import type { LoadedSpec } from '../../spec/types.ts';
import { ingressKind } from '../ingress/kind.ts';
import { ownedInboundTrunkIds, sipDispatchKind } from '../sip-dispatch-rule/kind.ts';
import { sipInboundKind } from '../sip-inbound-trunk/kind.ts';
import { sipOutboundKind } from '../sip-outbound-trunk/kind.ts';
import type { DeclareContext, PersistentKind } from './kind.ts';
import { bindPersistent, desiredFromSpec } from './planner.ts';
import { settlePersistent } from './settle.ts';
import type { SpecBase } from './spec-base.ts';

/** The live objects of each persistent kind that was listed (absent: not needed this time). */
export interface PersistentObservation {
  inbound?: LiveSipInboundTrunk[];
  outbound?: LiveSipOutboundTrunk[];
  rules?: LiveSipDispatchRule[];
  ingress?: LiveIngress[];
}

function needed(
  def: { kind: string; prefix: string },
  specs: readonly { kind: string }[],
  state: StateDocument | undefined,
): boolean {
  if (specs.some((s) => s.kind === def.kind)) return true;
  if (state === undefined) return false;
  const prefix = `${def.prefix}.`;
  return [...Object.keys(state.owned), ...Object.keys(state.pending)].some((a) =>
    a.startsWith(prefix),
  );
}

async function listIf<Live>(
  def: PersistentKind<Live>,
  port: LiveKitPort,
  specs: readonly { kind: string }[],
  state: StateDocument | undefined,
): Promise<Live[] | undefined> {
  return needed(def, specs, state) ? def.list(port) : undefined;
}

/** Undefined when no persistent kind is declared or owned. */
export async function observePersistent(
  port: LiveKitPort,
  specs: readonly { kind: string }[],
  state: StateDocument | undefined,
): Promise<PersistentObservation | undefined> {
  const [inbound, outbound, rules, ingress] = await Promise.all([
    listIf(sipInboundKind, port, specs, state),
    listIf(sipOutboundKind, port, specs, state),
    listIf(sipDispatchKind, port, specs, state),
    listIf(ingressKind, port, specs, state),
  ]);
  const o: PersistentObservation = {};
  if (inbound) o.inbound = inbound;
  if (outbound) o.outbound = outbound;
  if (rules) o.rules = rules;
  if (ingress) o.ingress = ingress;
  return Object.keys(o).length === 0 ? undefined : o;
}

export interface PersistentStepInput {
  specs: readonly LoadedSpec[];
  observation: PersistentObservation;
  state: StateDocument;
  env: Record<string, string | undefined>;
}

export function planPersistentStep(input: PersistentStepInput): {
  state: StateDocument;
  kinds: BoundKind[];
} {
  let state = input.state;
  const kinds: BoundKind[] = [];
  const step = <Live>(def: PersistentKind<Live>, live: Live[] | undefined): void => {
    if (live === undefined) return;
    state = settlePersistent(def, state, live);
    const ctx: DeclareContext = { inboundTrunkIds: ownedInboundTrunkIds(state.owned) };
    const desired = input.specs
      .filter((s): s is LoadedSpec & SpecBase => s.kind === def.kind)
      .map((s) => desiredFromSpec(def, s, ctx, input.env));
    kinds.push(bindPersistent(def, desired, live, state));
  };
  const o = input.observation;
  step(sipInboundKind, o.inbound);
  step(sipOutboundKind, o.outbound);
  step(sipDispatchKind, o.rules);
  step(ingressKind, o.ingress);
  return { state, kinds };
}
