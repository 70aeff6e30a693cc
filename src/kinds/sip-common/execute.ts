/**
 * Executes one persistent change. Creates are called once (not idempotent: the pending marker
 * apply writes before the call lets the next run adopt the result of a create whose answer was
 * lost); secrets are resolved here, just before the call, and only their hash goes to state.
 */
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { OwnedObject } from '../../core/inventory.ts';
import type { JsonValue, ResourceChange } from '../../core/plan.ts';
import type { StateEffect } from '../room/apply.ts';
import type { Secrets } from '../../spec/secrets.ts';
import type { PersistentKind } from './kind.ts';
import { hashKey, resolveSecrets, secretHashOf, secretPaths, type Json } from './secrets.ts';

function text(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function obj(v: JsonValue | undefined): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v !== undefined ? v : {};
}

export function persistentExecutor<Live>(def: PersistentKind<Live>, secrets: Secrets) {
  return async function execute(
    change: ResourceChange,
    port: LiveKitPort,
    now: () => Date,
  ): Promise<StateEffect> {
    const p = change.payload;
    const id = text(p['serverId']);
    if (change.action === 'delete') {
      await def.remove(id, port);
      return { disown: change.address };
    }
    const spec = obj(p['spec']);
    const resolved = obj(resolveSecrets(spec, { secrets, baseDir: text(p['baseDir']) }));
    const hash = secretHashOf(change.address, resolved, secretPaths(spec), hashKey(secrets.env));
    const own = (live: Live): StateEffect => {
      const o: OwnedObject = {
        address: change.address,
        kind: def.kind,
        name: change.name,
        serverId: def.id(live),
        since: now().toISOString(),
      };
      if (hash !== undefined) o.specHash = hash;
      return { own: o };
    };
    switch (change.action) {
      case 'create':
        return own(await def.create(change.name, resolved, p, port));
      case 'update':
        return own(await def.update(id, change.name, resolved, p, port));
      case 'replace':
        await def.remove(id, port);
        return own(await def.create(change.name, resolved, p, port));
      default:
        throw new Error(`a ${def.kind} change cannot be "${change.action}"`);
    }
  };
}
