/**
 * Specs from disk: find files, read them safely, parse YAML with positions, check the envelope and
 * the kind's schema, then the semantic rules. Never throws for bad input.
 */
import { sortDiagnostics, diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { checkEnvelope } from './envelope.ts';
import { parseSpecYaml } from './fast-yaml.ts';
import { lazyLocators } from './lazy-locator.ts';
import { readSpecFiles, type SourceText } from './read-files.ts';
import { schemaDiagnostics } from './schema-errors.ts';
import { DEFAULT_TARGET } from './config-targets.ts';
import { composeTarget, unknownTargetDiagnostics, type RawDocument } from './overlay.ts';
import { runSemanticRules } from './semantic/index.ts';
import type { LoadedSpec, LoadResult } from './types.ts';
import { documentValidator } from './validators.ts';

export interface LoadOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
}

interface Envelope {
  apiVersion: 'livekit-gitops/v1';
  kind: LoadedSpec['kind'];
  metadata: { name: string; labels?: Record<string, string> };
  spec: unknown;
}

/**
 * Parses sources into documents; empty files are warned about. Each document's locator parses its
 * file again the first time a position is asked for (no syntax tree is kept alive).
 */
export function parseSources(sources: readonly SourceText[]): {
  documents: RawDocument[];
  diagnostics: Diagnostic[];
} {
  const documents: RawDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const src of sources) {
    const parsed = parseSpecYaml(src.text, src.display);
    diagnostics.push(...parsed.diagnostics);
    const nonEmpty = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
    if (parsed.diagnostics.length === 0 && nonEmpty.length === 0) {
      diagnostics.push(
        diagnostic('W_EMPTY_FILE', 'file holds no spec documents', {
          file: src.display,
          line: 0,
          col: 0,
        }),
      );
    }
    const locatorFor = lazyLocators(src.text);
    for (const d of nonEmpty) {
      documents.push({
        value: d.value,
        locate: locatorFor(d.index),
        source: { file: src.display, absolute: src.file, line: d.line, col: d.col },
        index: d.index,
      });
    }
  }
  return { documents, diagnostics };
}

/** The envelope and the kind's schema, document by document. */
export function checkDocuments(documents: readonly RawDocument[]): {
  specs: LoadedSpec[];
  diagnostics: Diagnostic[];
} {
  const specs: LoadedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const d of documents) {
    const file = d.source.file;
    const env = checkEnvelope(d.value, file, d.locate);
    if ('diagnostics' in env) {
      diagnostics.push(...env.diagnostics);
      continue;
    }
    const validate = documentValidator(env.kind);
    if (!validate(d.value)) {
      diagnostics.push(...schemaDiagnostics(validate.errors ?? [], file, d.locate));
      continue;
    }
    const v = d.value as Envelope;
    specs.push({
      apiVersion: v.apiVersion,
      kind: v.kind,
      name: v.metadata.name,
      labels: v.metadata.labels ?? {},
      spec: v.spec,
      source: d.source,
      index: d.index,
      locate: d.locate,
    } as LoadedSpec);
  }
  return { specs, diagnostics };
}

/** Parses and schema-checks already-read sources (also used by tests with in-memory text). */
export function checkSources(sources: readonly SourceText[]): {
  specs: LoadedSpec[];
  diagnostics: Diagnostic[];
} {
  const parsed = parseSources(sources);
  const checked = checkDocuments(parsed.documents);
  return { specs: checked.specs, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}

export interface TargetLoadOptions extends LoadOptions {
  /** The target being composed (`default` without `targets:`). */
  target?: string;
  /** Every target name, for `metadata.targets` (default: just `target`). */
  knownTargets?: readonly string[];
  /** The target's overlay directories, applied in order. */
  overlays?: readonly string[];
  /**
   * Shared by the targets of one run (`--all-targets`): the base is read and parsed once, and a
   * document no overlay patched is schema-checked once for every target.
   */
  cache?: SpecLoadCache;
}

export interface SpecLoadCache {
  parsed: Map<string, Promise<ParsedPaths>>;
  checked: WeakMap<RawDocument, { specs: LoadedSpec[]; diagnostics: Diagnostic[] }>;
}

interface ParsedPaths {
  read: Awaited<ReturnType<typeof readSpecFiles>>;
  parsed: ReturnType<typeof parseSources>;
}

export function createSpecLoadCache(): SpecLoadCache {
  return { parsed: new Map(), checked: new WeakMap() };
}

function readParsed(
  paths: readonly string[],
  cwd: string,
  cache: SpecLoadCache | undefined,
): Promise<ParsedPaths> {
  const load = async (): Promise<ParsedPaths> => {
    const read = await readSpecFiles(paths, cwd);
    return { read, parsed: parseSources(read.sources) };
  };
  if (cache === undefined) return load();
  const key = JSON.stringify(paths);
  let found = cache.parsed.get(key);
  if (found === undefined) cache.parsed.set(key, (found = load()));
  return found;
}

function checkCached(
  documents: readonly RawDocument[],
  cache: SpecLoadCache | undefined,
): { specs: LoadedSpec[]; diagnostics: Diagnostic[] } {
  if (cache === undefined) return checkDocuments(documents);
  const specs: LoadedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const d of documents) {
    let one = cache.checked.get(d);
    if (one === undefined) cache.checked.set(d, (one = checkDocuments([d])));
    specs.push(...one.specs);
    diagnostics.push(...one.diagnostics);
  }
  return { specs, diagnostics };
}

/**
 * Load + schema + semantic checks for every *.yaml / *.yml under `paths`, composed for one
 * target: its overlays patch the base before any check, so every check sees what the target gets.
 */
export async function loadSpecs(
  paths: readonly string[],
  opts: TargetLoadOptions,
): Promise<LoadResult> {
  const target = opts.target ?? DEFAULT_TARGET;
  const overlays = opts.overlays ?? [];
  const [{ read, parsed: base }, ...overlayLoads] = await Promise.all([
    readParsed(paths, opts.cwd, opts.cache),
    ...overlays.map((o) => readParsed([o], opts.cwd, undefined)),
  ]);
  const overlayReads = overlayLoads.map((l) => l.read);
  const overlayParsed = overlayLoads.map((l) => l.parsed);
  const overlayDocs = overlayParsed.flatMap((p) => p.documents);
  const composed = composeTarget(target, base.documents, overlayDocs);
  const checked = checkCached(composed, opts.cache);
  const diagnostics = [
    ...read.diagnostics,
    ...base.diagnostics,
    ...overlayReads.flatMap((r) => r.diagnostics),
    ...overlayParsed.flatMap((p) => p.diagnostics),
    ...unknownTargetDiagnostics([...base.documents, ...overlayDocs], opts.knownTargets ?? [target]),
    ...checked.diagnostics,
    ...runSemanticRules({ specs: checked.specs }),
  ];
  if (read.sources.length === 0 && read.diagnostics.length === 0) {
    diagnostics.push(
      diagnostic(
        'W_NO_SPECS',
        `no *.yaml or *.yml files under ${paths.join(', ') || '(no paths)'}`,
        { file: paths[0] ?? '.', line: 0, col: 0 },
      ),
    );
  }
  const files = [...read.sources, ...overlayReads.flatMap((r) => r.sources)].map((s) => s.display);
  return {
    specs: checked.specs,
    diagnostics: sortDiagnostics(diagnostics),
    files: [...new Set(files)],
  };
}
