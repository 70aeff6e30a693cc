import type { Diagnostic } from '../../core/diagnostics.ts';
import type { LoadedRoom } from '../types.ts';
import { at, ofKind, type SemanticContext } from './context.ts';

interface Selector {
  names?: string[];
  match?: string[];
  labels?: Record<string, string>;
}

function selectsDeclaredRoom(sel: Selector, rooms: readonly LoadedRoom[]): boolean {
  return rooms.some(
    (r) =>
      (sel.names ?? []).includes(r.name) ||
      (sel.labels !== undefined &&
        Object.keys(sel.labels).length > 0 &&
        Object.entries(sel.labels).every(([k, v]) => r.labels[k] === v)),
  );
}

/**
 * A selector without `match` globs that selects no declared Room applies to nothing we know of:
 * usually a typo in a name or label. A warning, since a client may still create a named room.
 */
export function selectors(ctx: SemanticContext): Diagnostic[] {
  const rooms = ofKind(ctx.specs, 'Room');
  const out: Diagnostic[] = [];
  const policies = [
    ...ofKind(ctx.specs, 'RecordingPolicy'),
    ...ofKind(ctx.specs, 'ModerationRule'),
    ...ofKind(ctx.specs, 'AgentPolicy'),
  ];
  for (const p of policies) {
    const sel: Selector = p.spec.rooms;
    if ((sel.match ?? []).length > 0) continue;
    if (selectsDeclaredRoom(sel, rooms)) continue;
    out.push(
      at(
        p,
        ['spec', 'rooms'],
        'W_SELECTOR_MATCHES_NOTHING',
        `${p.kind} '${p.name}': spec.rooms selects no declared Room and has no match pattern`,
      ),
    );
  }
  return out;
}
