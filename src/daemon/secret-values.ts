/**
 * The secret values messages must be scrubbed of: the API secret and every value the current
 * specs' secret references resolve to, recomputed only when the specs change.
 */
import { collectSecretValues } from '../spec/secrets.ts';
import type { SpecStore } from './spec-store.ts';

export function createSecretValues(o: {
  specs: SpecStore;
  apiSecret: string;
  env: Record<string, string | undefined>;
}): () => readonly string[] {
  let secrets = { hash: '\u0000', values: [] as readonly string[] };
  return () => {
    const snap = o.specs.current();
    if (snap.specHash !== secrets.hash) {
      const values = [o.apiSecret, ...collectSecretValues(snap.specs, o.env)];
      secrets = { hash: snap.specHash, values };
    }
    return secrets.values;
  };
}
