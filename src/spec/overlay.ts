/**
 * One target's document set: the base documents it is not excluded from (`metadata.targets`),
 * each patched by the overlay documents of the same kind and name (JSON Merge Patch, RFC 7386, in
 * overlay order), plus the overlay documents without a base counterpart. Positions follow the
 * value: a path the patch sets is located in the overlay file, any other in the base file, so a
 * diagnostic on the composed document points at the line that set the value. Pure.
 */
import mergePatch from 'json-merge-patch';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { Locator, PathSegment } from './positions.ts';
import type { SourceLocation } from './types.ts';

/** A parsed YAML document before the envelope and schema checks. */
export interface RawDocument {
  value: unknown;
  locate: Locator;
  source: SourceLocation;
  /** Index of the document within its file (0-based). */
  index: number;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `Kind/name`, or undefined when the document does not say (its envelope check reports it). */
export function identityOf(value: unknown): string | undefined {
  if (!isObject(value) || typeof value['kind'] !== 'string') return undefined;
  const metadata = value['metadata'];
  if (!isObject(metadata) || typeof metadata['name'] !== 'string') return undefined;
  return `${value['kind']}/${metadata['name']}`;
}

/** `metadata.targets` when it is a list of strings (the schema checks every other shape). */
export function targetsOf(value: unknown): string[] | undefined {
  const metadata = isObject(value) ? value['metadata'] : undefined;
  const list = isObject(metadata) ? metadata['targets'] : undefined;
  return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : undefined;
}

/** Whether the merge patch decides the value at `path` (sets it, deletes it, or replaces an ancestor). */
export function patchSets(patch: unknown, path: readonly PathSegment[]): boolean {
  let v = patch;
  for (const seg of path) {
    if (!isObject(v)) return true;
    if (!Object.hasOwn(v, String(seg))) return false;
    v = v[String(seg)];
  }
  return true;
}

function withFile(locate: Locator, file: string): Locator {
  // An already patched document's locator names its file itself: that one wins.
  return (path, useKey) => ({ file, ...locate(path, useKey) });
}

function patched(base: RawDocument, overlay: RawDocument): RawDocument {
  const baseLocate = withFile(base.locate, base.source.file);
  const overlayLocate = withFile(overlay.locate, overlay.source.file);
  const patch = overlay.value;
  return {
    ...base,
    // The package mutates its target: patch a copy, never the base shared by every target.
    value: mergePatch.apply<unknown>(structuredClone(base.value), patch),
    locate: (path, useKey) =>
      path.length > 0 && patchSets(patch, path)
        ? overlayLocate(path, useKey)
        : baseLocate(path, useKey),
  };
}

/** `metadata.targets` entries that name no target, once per document. */
export function unknownTargetDiagnostics(
  docs: readonly RawDocument[],
  known: readonly string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of docs) {
    const list = targetsOf(d.value);
    list?.forEach((t, i) => {
      if (known.includes(t)) return;
      const path: PathSegment[] = ['metadata', 'targets', i];
      out.push(
        diagnostic(
          'E_UNKNOWN_TARGET',
          `unknown target "${t}" in metadata.targets`,
          { file: d.source.file, ...d.locate(path) },
          { path: `metadata.targets[${i}]`, hint: `targets: ${known.join(', ')}` },
        ),
      );
    });
  }
  return out;
}

export function composeTarget(
  target: string,
  base: readonly RawDocument[],
  overlays: readonly RawDocument[],
): RawDocument[] {
  const composed: RawDocument[] = [...base];
  const byIdentity = new Map<string, number>();
  composed.forEach((d, i) => {
    const id = identityOf(d.value);
    if (id !== undefined && !byIdentity.has(id)) byIdentity.set(id, i);
  });
  for (const o of overlays) {
    const id = identityOf(o.value);
    const at = id === undefined ? undefined : byIdentity.get(id);
    if (at === undefined) {
      if (id !== undefined) byIdentity.set(id, composed.length);
      composed.push(o);
      continue;
    }
    composed[at] = patched(composed[at]!, o);
  }
  return composed.filter((d) => targetsOf(d.value)?.includes(target) ?? true);
}
