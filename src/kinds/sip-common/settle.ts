/**
 * Settles one persistent kind's state entries against its live list, before planning:
 * - a pending create/replace (an apply killed between the call and the state write) adopts the
 *   live object of that name the kind recognises as the create's result (SIP: ownership marker in
 *   metadata; ingress: same room, identity and input type) and that no other address owns; with
 *   none, the marker goes (nothing was made; the plan creates it again);
 * - an owned object whose server id is gone from LiveKit is dropped, so a declared one is recreated.
 * Pure: returns a new document when something changed, the same one otherwise.
 */
import { draftState, type StateDocument } from '../../core/inventory.ts';
import type { PersistentKind } from './kind.ts';

export function settlePersistent<Live>(
  def: PersistentKind<Live>,
  state: StateDocument,
  live: readonly Live[],
): StateDocument {
  const prefix = `${def.prefix}.`;
  const liveIds = new Set(live.map(def.id));
  const { edit, current } = draftState(state);
  const ownedIds = new Set(
    Object.values(state.owned)
      .map((o) => o.serverId)
      .filter((id): id is string => id !== undefined),
  );
  for (const [address, op] of Object.entries(state.pending)) {
    if (!address.startsWith(prefix)) continue;
    if (op.operation !== 'create' && op.operation !== 'replace') continue;
    const name = address.slice(prefix.length);
    const found = live.find(
      (l) => def.name(l) === name && !ownedIds.has(def.id(l)) && def.adoptable(l, op.match),
    );
    const doc = edit();
    delete doc.pending[address];
    if (found === undefined) continue;
    ownedIds.add(def.id(found));
    doc.owned[address] = {
      address,
      kind: def.kind,
      name,
      serverId: def.id(found),
      ...(op.match['secretHash'] !== undefined ? { specHash: op.match['secretHash'] } : {}),
      since: op.startedAt,
    };
  }
  for (const [address, obj] of Object.entries(current().owned)) {
    if (obj.kind !== def.kind || !address.startsWith(prefix)) continue;
    if (obj.serverId !== undefined && liveIds.has(obj.serverId)) continue;
    delete edit().owned[address];
  }
  return current();
}
