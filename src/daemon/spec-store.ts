/**
 * The specs the daemon reconciles toward, with per-file "last valid version stays in force":
 * each file is parsed and schema-checked on its own; a file with errors keeps contributing the
 * specs of its last valid version (none if it never had one) while its errors are reported.
 * Cross-file rules (duplicate names, references) run on the combination; if the combination
 * breaks them, the previous valid combination stays in force.
 */
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { desiredRoomFromSpec } from '../kinds/room/from-spec.ts';
import { specSetHash } from '../app/project.ts';
import { checkSources } from '../spec/load.ts';
import { readSpecFiles } from '../spec/read-files.ts';
import { runSemanticRules } from '../spec/semantic/index.ts';
import type { LoadedRoom, LoadedSpec } from '../spec/types.ts';

export interface SpecSnapshot {
  specs: LoadedSpec[];
  rooms: DesiredRoom[];
  specHash: string;
  /** Errors now; non-empty means some file's last valid version (or nothing) is in force. */
  errors: Diagnostic[];
}

export interface SpecStore {
  current(): SpecSnapshot;
  /** Re-reads every spec file under the paths. Never throws for bad specs. */
  reload(): Promise<SpecSnapshot>;
}

export interface SpecStoreOptions {
  paths: readonly string[];
  cwd: string;
}

function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}

function snapshotOf(specs: LoadedSpec[], errors: Diagnostic[]): SpecSnapshot {
  return {
    specs,
    rooms: specs.filter((s): s is LoadedRoom => s.kind === 'Room').map(desiredRoomFromSpec),
    specHash: specSetHash(specs),
    errors: sortDiagnostics(errors),
  };
}

export function createSpecStore(opts: SpecStoreOptions): SpecStore {
  /** display path → specs of the file's last valid version. */
  let inForce = new Map<string, LoadedSpec[]>();
  let snapshot = snapshotOf([], []);

  async function reload(): Promise<SpecSnapshot> {
    const read = await readSpecFiles(opts.paths, opts.cwd);
    const readErrors = read.diagnostics.filter(isError);
    const errors: Diagnostic[] = [...readErrors];
    const next = new Map<string, LoadedSpec[]>();
    // A missing or unreadable spec path (a checkout in progress) is not a deletion: files that
    // were in force and are not listed now stay in force while read errors exist.
    if (readErrors.length > 0) for (const [file, specs] of inForce) next.set(file, specs);
    for (const src of read.sources) {
      const checked = checkSources([src]);
      const bad = checked.diagnostics.filter(isError);
      if (bad.length === 0) {
        next.set(src.display, checked.specs);
        continue;
      }
      errors.push(...bad);
      const previous = inForce.get(src.display);
      if (previous) next.set(src.display, previous);
      else next.delete(src.display);
    }
    const combined = [...next.values()].flat();
    const semantic = runSemanticRules({ specs: combined }).filter(isError);
    if (semantic.length > 0) {
      // The combination is inconsistent: keep the previous one whole.
      snapshot = { ...snapshot, errors: sortDiagnostics([...errors, ...semantic]) };
      return snapshot;
    }
    inForce = next;
    snapshot = snapshotOf(combined, errors);
    return snapshot;
  }

  return { current: () => snapshot, reload };
}

/**
 * True when specs other than Rooms (ModerationRules, Roles, RecordingPolicies, ...) changed: they
 * can select any live room, so the daemon answers with a full resync rather than per-room keys.
 */
export function nonRoomSpecsChanged(before: SpecSnapshot, after: SpecSnapshot): boolean {
  const others = (s: SpecSnapshot): string => specSetHash(s.specs.filter((x) => x.kind !== 'Room'));
  return others(before) !== others(after);
}

/** Room names whose desired state differs between two snapshots (added, changed, removed). */
export function changedRooms(before: SpecSnapshot, after: SpecSnapshot): string[] {
  const old = new Map(before.rooms.map((r) => [r.name, r.specHash]));
  const out = new Set<string>();
  for (const r of after.rooms) {
    if (old.get(r.name) !== r.specHash) out.add(r.name);
    old.delete(r.name);
  }
  for (const name of old.keys()) out.add(name);
  return [...out].sort();
}
