/**
 * The shared KindPlanner of the persistent kinds. Names are not unique in LiveKit, so for each
 * name one live object is picked before the join: the one whose server id state records as ours,
 * else any other of that name (which, not being ours, is held rather than changed).
 */
import path from 'node:path';
import { bindKind, type BoundKind, type KindPlanner } from '../../core/kind-planner.ts';
import type { StateDocument } from '../../core/inventory.ts';
import { hashOf } from '../../core/canonical-json.ts';
import type { SpecBase } from './spec-base.ts';
import { diffPersistent } from './diff.ts';
import {
  addressOf,
  type DeclareContext,
  type DesiredPersistent,
  type PersistentKind,
} from './kind.ts';
import type { Secrets } from '../../spec/secrets.ts';
import { secretPaths, tryHashSecrets, type Json } from './secrets.ts';

export function desiredFromSpec<Live>(
  def: PersistentKind<Live>,
  loaded: SpecBase,
  ctx: DeclareContext,
  secrets: Secrets,
): DesiredPersistent {
  const spec = loaded.spec as Json;
  const baseDir = path.dirname(loaded.source.absolute);
  const desired: DesiredPersistent = {
    name: loaded.name,
    spec,
    baseDir,
    source: { file: loaded.source.file, line: loaded.source.line, col: loaded.source.col },
    fields: def.declared(spec, ctx),
    secretPaths: secretPaths(spec),
    unsupported: def.unsupported.filter((f) => spec[f] !== undefined),
    // The lineage rides along to the create (the marker written) and the pending marker (adoption).
    match: { ...def.matchKey(spec), ...(ctx.lineage ? { lineage: ctx.lineage } : {}) },
  };
  const hash = tryHashSecrets(addressOf(def.prefix, loaded.name), spec, { secrets, baseDir });
  if (hash !== undefined) desired.secretHash = hash;
  return desired;
}

/** One live object per name: ours (by recorded server id) first. */
export function pickLive<Live>(
  def: PersistentKind<Live>,
  live: readonly Live[],
  state: StateDocument,
): Live[] {
  const byName = new Map<string, Live>();
  for (const item of live) {
    const name = def.name(item);
    const ours = state.owned[addressOf(def.prefix, name)]?.serverId === def.id(item);
    if (ours || !byName.has(name)) byName.set(name, item);
  }
  return [...byName.values()];
}

export function persistentPlanner<Live>(
  def: PersistentKind<Live>,
  state: StateDocument,
): KindPlanner<DesiredPersistent, Live> {
  return {
    kind: def.kind,
    desiredKey: (d) => d.name,
    liveKey: def.name,
    address: (key) => addressOf(def.prefix, key),
    serverId: def.id,
    preventDestroy: () => false,
    diff: (desired, live, ctx) => {
      const name = desired?.name ?? (live === undefined ? '' : def.name(live));
      const recorded = state.owned[addressOf(def.prefix, name)]?.specHash;
      return diffPersistent(def, desired, live, { ...ctx, recordedSecretHash: recorded });
    },
    liveFingerprint: (live) => hashOf({ id: def.id(live), ...def.observed(live) }),
  };
}

export function bindPersistent<Live>(
  def: PersistentKind<Live>,
  desired: readonly DesiredPersistent[],
  live: readonly Live[],
  state: StateDocument,
): BoundKind {
  return bindKind(persistentPlanner(def, state), desired, pickLive(def, live, state));
}
