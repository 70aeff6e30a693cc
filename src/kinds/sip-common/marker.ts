/**
 * The ownership marker put into a SIP object's metadata: `{"managedBy":"livekit-gitops:<lineage>"}`
 * merged into the user's JSON metadata (or the whole metadata when none is declared). Names are not
 * unique in LiveKit, so after a create whose answer was lost, only an object carrying the marker of
 * this state's lineage is adopted: two installations (targets) on one LiveKit deployment never adopt
 * or bind to each other's objects. The marker without a lineage (`livekit-gitops`, written before
 * lineages were) is still recognised and removed from compared metadata, and is adopted only by a
 * pending create recorded without a lineage. Metadata that is not a JSON object cannot carry a
 * marker: such objects are adopted by name.
 */
import { canonicalJson } from '../../core/canonical-json.ts';

export const MANAGED_BY = 'livekit-gitops';

/** The marker value for a state's lineage (the bare legacy marker without one). */
export function markerValue(lineage: string | undefined): string {
  return lineage === undefined || lineage === '' ? MANAGED_BY : `${MANAGED_BY}:${lineage}`;
}

function isMarkerValue(v: unknown): boolean {
  return typeof v === 'string' && (v === MANAGED_BY || v.startsWith(`${MANAGED_BY}:`));
}

/** The lineage a planned change's payload carries in its pending-marker match (see planner.ts). */
export function payloadLineage(payload: unknown): string | undefined {
  const match = isObject(payload) ? payload['match'] : undefined;
  const lineage = isObject(match) ? match['lineage'] : undefined;
  return typeof lineage === 'string' ? lineage : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The metadata to send: the declared metadata with the marker merged in where possible. */
export function withMarker(metadata: string | undefined, lineage?: string): string {
  const managedBy = markerValue(lineage);
  if (metadata === undefined || metadata === '') return canonicalJson({ managedBy });
  const obj = parseObject(metadata);
  return obj === undefined ? metadata : canonicalJson({ ...obj, managedBy });
}

/** Whether the declared metadata leaves room for the marker. */
export function markable(metadata: string | undefined): boolean {
  return metadata === undefined || metadata === '' || parseObject(metadata) !== undefined;
}

/** Whether the object carries exactly this lineage's marker (the legacy one without a lineage). */
export function hasMarker(metadata: string, lineage?: string): boolean {
  return parseObject(metadata)?.['managedBy'] === markerValue(lineage);
}

/** Live metadata as the user wrote it: any livekit-gitops marker removed, JSON in canonical form. */
export function withoutMarker(metadata: string): string {
  const obj = parseObject(metadata);
  if (obj === undefined) return metadata;
  const rest = { ...obj };
  if (isMarkerValue(rest['managedBy'])) delete rest['managedBy'];
  return Object.keys(rest).length === 0 ? '' : canonicalJson(rest);
}

/** Declared metadata normalised the same way (JSON canonical, so key order never diffs). */
export function normaliseMetadata(metadata: string): string {
  const obj = parseObject(metadata);
  return obj === undefined ? metadata : Object.keys(obj).length === 0 ? '' : canonicalJson(obj);
}
