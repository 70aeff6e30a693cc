/**
 * A persistent kind (Ingress, SIP trunks, dispatch rules) in the registry: one list call, only
 * when specs of the kind exist or state holds entries of it, and only on full observations (the
 * objects are not room-scoped: a webhook-scoped pass leaves them to full resyncs); then its
 * inventory is settled against the list and planned.
 */
import type { StateDocument } from '../../core/inventory.ts';
import type {
  LiveIngress,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
} from '../../core/live.ts';
import type { LoadedSpec } from '../../spec/types.ts';
import type { KindModule, Observed } from '../kind.ts';
import { ownedInboundTrunkIds } from '../sip-dispatch-rule/kind.ts';
import { persistentExecutor } from './execute.ts';
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

declare module '../kind.ts' {
  interface Observed {
    /** Ingress and SIP objects, listed on full observations only (absent: none declared or owned). */
    persistent?: PersistentObservation;
  }
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

export function persistentModule<K extends keyof PersistentObservation>(
  def: PersistentKind<NonNullable<PersistentObservation[K]>[number]>,
  key: K,
  order: Pick<KindModule, 'dependsOn' | 'applyAfter'> = {},
): KindModule {
  const liveOf = (o: Observed): PersistentObservation[K] | undefined => o.persistent?.[key];
  return {
    kind: def.kind,
    docs: 'docs/ingress-sip.md',
    ...order,
    async observe({ port, scope, specs, state }) {
      if (scope !== undefined || !needed(def, specs ?? [], state)) return undefined;
      const live = (await def.list(port)) as PersistentObservation[K];
      return (o) => ((o.persistent ??= {})[key] = live);
    },
    settle(i) {
      const live = liveOf(i.observed);
      if (live === undefined || i.scope !== undefined) return undefined;
      return { state: settlePersistent(def, i.state, live) };
    },
    plan(i) {
      const live = liveOf(i.observed);
      if (live === undefined || i.scope !== undefined) return undefined;
      const ctx: DeclareContext = {
        inboundTrunkIds: ownedInboundTrunkIds(i.state.owned),
        // The lineage goes into the ownership marker: two installations on one server stay apart.
        lineage: i.state.lineage,
      };
      const desired = (i.specs ?? [])
        .filter((s): s is LoadedSpec & SpecBase => s.kind === def.kind)
        .map((s) => desiredFromSpec(def, s, ctx, i.secrets));
      return bindPersistent(def, desired, live, i.state);
    },
    execute: (change, ctx) => persistentExecutor(def, ctx.secrets)(change, ctx.port, ctx.now),
  };
}
