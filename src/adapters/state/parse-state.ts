import type { StateDocument } from '../../core/inventory.ts';

/** Parses a stored state document, refusing anything that is not a version-1 document. */
export function parseStateDocument(text: string, where: string): StateDocument {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  const d = v as Partial<StateDocument> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    d.version !== 1 ||
    typeof d.lineage !== 'string' ||
    typeof d.serial !== 'number'
  ) {
    throw new Error(`${where} is not a livekit-gitops state document (version 1)`);
  }
  // Every other field is kept as stored (onJoin and recording bookkeeping, the sections kinds
  // add): dropping one would make every reconcile act again on what it already did.
  return {
    ...d,
    version: 1,
    lineage: d.lineage,
    serial: d.serial,
    owned: d.owned ?? {},
    protections: d.protections ?? {},
    pending: d.pending ?? {},
  };
}
