/**
 * The ownership marker put into a SIP object's metadata: `{"managedBy":"livekit-gitops"}` merged
 * into the user's JSON metadata (or the whole metadata when none is declared). Names are not unique
 * in LiveKit, so after a create whose answer was lost, only an object carrying the marker is
 * adopted. Metadata that is not a JSON object cannot carry it: such objects are adopted by name.
 */
import { canonicalJson } from '../../core/canonical-json.ts';

export const MANAGED_BY = 'livekit-gitops';

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The metadata to send: the declared metadata with the marker merged in where possible. */
export function withMarker(metadata: string | undefined): string {
  if (metadata === undefined || metadata === '') return canonicalJson({ managedBy: MANAGED_BY });
  const obj = parseObject(metadata);
  return obj === undefined ? metadata : canonicalJson({ ...obj, managedBy: MANAGED_BY });
}

/** Whether the declared metadata leaves room for the marker. */
export function markable(metadata: string | undefined): boolean {
  return metadata === undefined || metadata === '' || parseObject(metadata) !== undefined;
}

export function hasMarker(metadata: string): boolean {
  return parseObject(metadata)?.['managedBy'] === MANAGED_BY;
}

/** Live metadata as the user wrote it: the marker removed, JSON in canonical form. */
export function withoutMarker(metadata: string): string {
  const obj = parseObject(metadata);
  if (obj === undefined) return metadata;
  const rest = { ...obj };
  if (rest['managedBy'] === MANAGED_BY) delete rest['managedBy'];
  return Object.keys(rest).length === 0 ? '' : canonicalJson(rest);
}

/** Declared metadata normalised the same way (JSON canonical, so key order never diffs). */
export function normaliseMetadata(metadata: string): string {
  const obj = parseObject(metadata);
  return obj === undefined ? metadata : Object.keys(obj).length === 0 ? '' : canonicalJson(obj);
}
