/**
 * The specs the daemon reconciles toward, with per-file "last valid version stays in force":
 * each file is parsed and schema-checked on its own; a file with errors keeps contributing the
 * specs of its last valid version (none if it never had one) while its errors are reported.
 * Cross-file rules (duplicate names, references) run on the combination; if the combination
 * breaks them, the previous valid combination stays in force.
 *
 * A target's documents are composed as plan and apply compose them (src/spec/load.ts): its
 * overlays patch the base and `metadata.targets` drops what it is excluded from. A file whose
 * YAML does not parse keeps its last parsed documents in the composition; a composed document
 * that fails its schema counts against the file it came from (the base file when it was patched).
 */
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { desiredRoomFromSpec } from '../kinds/room/from-spec.ts';
import { specSetHash } from '../app/project.ts';
import { DEFAULT_TARGET } from '../spec/config-targets.ts';
import { checkDocuments, parseSources } from '../spec/load.ts';
import { composeTarget, unknownTargetDiagnostics, type RawDocument } from '../spec/overlay.ts';
import { readSpecFiles, type ReadResult } from '../spec/read-files.ts';
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
  /**
   * Re-reads every spec file under the paths. Never throws for bad specs. Reloads may overlap;
   * the latest started wins: one that finishes after a newer one started changes nothing (its
   * files may be from the middle of a `git pull` the newer one saw the end of) and resolves with
   * the snapshot in force.
   */
  reload(): Promise<SpecSnapshot>;
}

export interface SpecStoreOptions {
  paths: readonly string[];
  cwd: string;
  /** The target composed (`default` without `targets:`), for `metadata.targets`. */
  target?: string;
  /** Every target name, for `metadata.targets` (default: just `target`). */
  knownTargets?: readonly string[];
  /** The target's overlay directories, applied in order over `paths`. */
  overlays?: readonly string[];
  /** Reads one layer's files (tests hold a read to order reloads); default readSpecFiles. */
  read?: (paths: readonly string[], cwd: string) => Promise<ReadResult>;
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
  const target = opts.target ?? DEFAULT_TARGET;
  /** display path → specs of the file's last valid version. */
  let inForce = new Map<string, LoadedSpec[]>();
  /** display path → the layer (0 the base, then each overlay) and its last parsed documents. */
  let parsedInForce = new Map<string, { layer: number; docs: RawDocument[] }>();
  let snapshot = snapshotOf([], []);
  const read = opts.read ?? readSpecFiles;
  /** Reloads started so far: a reload whose number is not the latest commits nothing. */
  let started = 0;

  /** One layer's documents, each file at its last version that parsed. */
  function layer(
    index: number,
    read: ReadResult,
    errors: Diagnostic[],
    parsed: Map<string, { layer: number; docs: RawDocument[] }>,
  ): RawDocument[] {
    // A missing or unreadable spec path (a checkout in progress) is not a deletion: files that
    // were in force and are not listed now stay in force while read errors exist.
    if (read.diagnostics.some(isError)) {
      for (const [file, p] of parsedInForce) if (p.layer === index) parsed.set(file, p);
    }
    for (const src of read.sources) {
      const p = parseSources([src]);
      const bad = p.diagnostics.filter(isError);
      errors.push(...bad);
      const previous = parsedInForce.get(src.display);
      if (bad.length === 0) parsed.set(src.display, { layer: index, docs: p.documents });
      else if (previous) parsed.set(src.display, previous);
      else parsed.delete(src.display);
    }
    return [...parsed.values()].filter((p) => p.layer === index).flatMap((p) => p.docs);
  }

  async function reload(): Promise<SpecSnapshot> {
    const ticket = ++started;
    const layers = [opts.paths, ...(opts.overlays ?? []).map((o) => [o])];
    const reads = await Promise.all(layers.map((paths) => read(paths, opts.cwd)));
    // Superseded while reading: the newer reload decides (everything below is synchronous).
    if (ticket !== started) return snapshot;
    const errors: Diagnostic[] = reads.flatMap((r) => r.diagnostics.filter(isError));
    const parsed = new Map<string, { layer: number; docs: RawDocument[] }>();
    const docs = reads.map((read, i) => layer(i, read, errors, parsed));
    const [base = [], ...overlays] = docs;
    errors.push(
      ...unknownTargetDiagnostics([...base, ...overlays.flat()], opts.knownTargets ?? [target]),
    );
    // Checked one composed document at a time, grouped by the file it counts against.
    const byFile = new Map<string, { specs: LoadedSpec[]; bad: boolean }>();
    for (const d of composeTarget(target, base, overlays.flat())) {
      const one = checkDocuments([d]);
      const bad = one.diagnostics.filter(isError);
      const group = byFile.get(d.source.file) ?? { specs: [], bad: false };
      group.specs.push(...one.specs);
      group.bad ||= bad.length > 0;
      byFile.set(d.source.file, group);
      errors.push(...bad);
    }
    const next = new Map<string, LoadedSpec[]>();
    for (const [file, group] of byFile) {
      const previous = inForce.get(file);
      if (!group.bad) next.set(file, group.specs);
      else if (previous) next.set(file, previous);
    }
    const combined = [...next.values()].flat();
    const semantic = runSemanticRules({ specs: combined }).filter(isError);
    if (semantic.length > 0) {
      // The combination is inconsistent: keep the previous one whole.
      snapshot = { ...snapshot, errors: sortDiagnostics([...errors, ...semantic]) };
      return snapshot;
    }
    inForce = next;
    parsedInForce = parsed;
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
