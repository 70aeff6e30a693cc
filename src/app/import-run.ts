/**
 * Reading what `import` maps, and recording adopted objects. Ingress and SIP need Redis on the
 * server: a server without it answers `... (redis required)`, and that kind is skipped with a
 * warning rather than failing the whole import.
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { StateLock } from '../adapters/state/backend.ts';
import { LiveKitError } from '../core/errors.ts';
import type { OwnedObject } from '../core/inventory.ts';
import type { ImportKind } from './import-map.ts';
import type { LiveSnapshot, SkippedObject } from './import-plan.ts';

export interface LiveRead {
  snapshot: LiveSnapshot;
  /** Kinds that could not be read (no Redis on the server). */
  unavailable: SkippedObject[];
}

function redisMissing(err: unknown): boolean {
  return err instanceof LiveKitError && /redis required/i.test(err.message);
}

export async function readLive(port: LiveKitPort, kinds: readonly ImportKind[]): Promise<LiveRead> {
  const read: LiveRead = { snapshot: {}, unavailable: [] };
  const want = new Set(kinds);
  const attempt = async <T>(kind: ImportKind, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (!redisMissing(err)) throw err;
      read.unavailable.push({
        kind,
        reason: 'the LiveKit server has no Redis configured (redis required), so it was skipped',
      });
      return undefined;
    }
  };
  if (want.has('Room')) read.snapshot.rooms = await port.listRooms();
  if (want.has('Ingress')) {
    const list = await attempt('Ingress', () => port.listIngress());
    if (list !== undefined) read.snapshot.ingress = list;
  }
  // Dispatch rules name their trunks by spec name, so trunks are read for them too.
  if (want.has('SIPInboundTrunk') || want.has('SIPDispatchRule')) {
    const list = await attempt('SIPInboundTrunk', () => port.listSipInboundTrunks());
    if (list !== undefined) read.snapshot.sipInbound = list;
  }
  if (want.has('SIPOutboundTrunk')) {
    const list = await attempt('SIPOutboundTrunk', () => port.listSipOutboundTrunks());
    if (list !== undefined) read.snapshot.sipOutbound = list;
  }
  if (want.has('SIPDispatchRule') && read.snapshot.sipInbound !== undefined) {
    const list = await attempt('SIPDispatchRule', () => port.listSipDispatchRules());
    if (list !== undefined) read.snapshot.sipDispatch = list;
  }
  return read;
}

/**
 * Records the objects as owned, under the held lock. An address already owned by the same server
 * object keeps its entry (and the secret hash apply recorded); any other entry is replaced.
 */
export async function adoptObjects(
  lock: StateLock,
  entries: readonly OwnedObject[],
): Promise<number> {
  let adopted = 0;
  await lock.update((doc) => {
    const owned = { ...doc.owned };
    adopted = 0;
    for (const e of entries) {
      const current = owned[e.address];
      if (current !== undefined && current.serverId === e.serverId) continue;
      owned[e.address] = e;
      adopted++;
    }
    return { ...doc, owned };
  });
  return adopted;
}
