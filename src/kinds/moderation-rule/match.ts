/**
 * Which rooms a ModerationRule selects and which participants each of its rules matches. Pure.
 */
import picomatch from 'picomatch';
import type { LiveParticipant, ParticipantKind } from '../../core/live.ts';
import type { ModerationRuleSpec } from './schema.ts';

export type RoomSelector = ModerationRuleSpec['rooms'];
type Matcher = NonNullable<ModerationRuleSpec['rules']>[number]['participants'];

/**
 * Globs over names: `*` crosses every character (room names and identities are flat strings, `/`
 * is not a path separator to them), names starting with a dot are not special.
 */
export function globMatcher(globs: readonly string[]): (name: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch([...globs], { dot: true, bash: true });
}

/** A room selector compiled once per plan. */
export function roomSelector(
  selector: RoomSelector,
  declaredLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): (room: string) => boolean {
  const names = new Set(selector.names ?? []);
  const glob = globMatcher(selector.match ?? []);
  const wanted = Object.entries(selector.labels ?? {});
  if (wanted.length > 0) {
    for (const [room, labels] of declaredLabels) {
      if (wanted.every(([k, v]) => labels[k] === v)) names.add(room);
    }
  }
  return (room) => names.has(room) || glob(room);
}

/**
 * Kinds moderated without being named: people (`standard`) and phone callers (`sip`). Agents,
 * recorders (`egress`), ingress and the newer connector/bridge kinds are infrastructure and are
 * only touched by a rule that names their kind.
 */
const MODERATED_BY_DEFAULT: ReadonlySet<ParticipantKind> = new Set(['standard', 'sip']);

export function moderatedByDefault(kind: ParticipantKind): boolean {
  return MODERATED_BY_DEFAULT.has(kind);
}

/** A participant matcher compiled once: every given criterion must hold. */
export function participantMatcher(m: Matcher): (p: LiveParticipant) => boolean {
  const identity = m.identity === undefined ? undefined : globMatcher(m.identity);
  const attributes = Object.entries(m.attributes ?? {});
  const kinds = m.kind === undefined ? undefined : new Set<string>(m.kind);
  return (p) => {
    if (kinds !== undefined ? !kinds.has(p.kind) : !moderatedByDefault(p.kind)) return false;
    if (identity !== undefined && !identity(p.identity)) return false;
    return attributes.every(([k, v]) => p.attributes[k] === v);
  };
}
