/**
 * A change to the state document as a delta: which entries of which sections a run set or
 * dropped, and which top-level fields it changed. Runs that overlap (the daemon's parallel
 * reconciles, a CI apply beside the daemon) each read the state at their start; writing back
 * whole sections from that snapshot would put back another run's records as they were. A
 * delta applied to the current document under the lock touches only what this run changed.
 *
 * Generic over the document's sections: every top-level field holding a record (owned,
 * pending, protections, moderated, recordings, and whatever a kind adds) is diffed per entry,
 * every other field (except version, lineage and serial) as a whole. Pure.
 */
import { canonicalJson } from './canonical-json.ts';
import type { StateDocument } from './inventory.ts';

type Loose = Record<string, unknown>;

export interface SectionDelta {
  set: Record<string, unknown>;
  drop: string[];
}

export interface StateDelta {
  sections: Record<string, SectionDelta>;
  /** Top-level fields that are not sections: new value, or undefined to remove it. */
  fields: Record<string, unknown>;
}

/** Fields no run changes through a delta: the lock sets the serial, the lineage is fixed. */
const META = new Set(['version', 'lineage', 'serial']);

function isRecord(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  // Settle passes copy on write, so unchanged entries are usually the very same object.
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** What `next` changed relative to `base` (the document the run read at its start). */
export function stateDelta(base: StateDocument, next: StateDocument): StateDelta {
  const from = base as unknown as Loose;
  const to = next as unknown as Loose;
  const delta: StateDelta = { sections: {}, fields: {} };
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (META.has(key)) continue;
    const a = from[key];
    const b = to[key];
    if (a === b) continue;
    if (isRecord(a) || isRecord(b)) {
      const before = isRecord(a) ? a : {};
      const after = isRecord(b) ? b : {};
      const section: SectionDelta = { set: {}, drop: [] };
      for (const [k, v] of Object.entries(after)) if (!same(before[k], v)) section.set[k] = v;
      for (const k of Object.keys(before)) if (!(k in after)) section.drop.push(k);
      if (Object.keys(section.set).length > 0 || section.drop.length > 0) {
        delta.sections[key] = section;
      }
      continue;
    }
    if (!same(a, b)) delta.fields[key] = b;
  }
  return delta;
}

export function isEmptyDelta(delta: StateDelta): boolean {
  return Object.keys(delta.sections).length === 0 && Object.keys(delta.fields).length === 0;
}

/** Applies `delta` to `doc` (the current document, under the lock), in place. */
export function applyStateDelta(doc: StateDocument, delta: StateDelta): void {
  const target = doc as unknown as Loose;
  for (const [key, section] of Object.entries(delta.sections)) {
    const existing = target[key];
    const entries: Loose = isRecord(existing) ? existing : {};
    for (const [k, v] of Object.entries(section.set)) entries[k] = v;
    for (const k of section.drop) delete entries[k];
    target[key] = entries;
  }
  for (const [key, value] of Object.entries(delta.fields)) {
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
}
