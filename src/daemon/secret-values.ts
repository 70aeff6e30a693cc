/**
 * The secret values messages must be scrubbed of: the API secret and every value the current
 * specs' secret references resolve to, recomputed only when the specs change.
 */
import { collectSecretValues, type Secrets } from '../spec/secrets.ts';
import type { SpecStore } from './spec-store.ts';

export function createSecretValues(o: {
  specs: SpecStore;
  apiSecret: string;
  secrets: Secrets;
  /** Values known up front (the git source's token and webhook secret). */
  extra?: readonly string[];
}): () => readonly string[] {
  let secrets = { hash: '\u0000', values: [] as readonly string[] };
  return () => {
    const snap = o.specs.current();
    if (snap.specHash !== secrets.hash) {
      const values = [
        o.apiSecret,
        ...(o.extra ?? []),
        ...collectSecretValues(snap.specs, o.secrets.resolve),
      ];
      secrets = { hash: snap.specHash, values };
    }
    return secrets.values;
  };
}
