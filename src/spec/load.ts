/**
 * Specs from disk: find files, read them safely, parse YAML with positions, check the envelope and
 * the kind's schema, then the semantic rules. Never throws for bad input.
 */
import { sortDiagnostics, diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { checkEnvelope } from './envelope.ts';
import { parseYaml } from './parse-yaml.ts';
import { lazyLocators } from './lazy-locator.ts';
import { makeLocator } from './positions.ts';
import { readSpecFiles, type SourceText } from './read-files.ts';
import { schemaDiagnostics } from './schema-errors.ts';
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

/** Parses and schema-checks already-read sources (also used by tests with in-memory text). */
export function checkSources(sources: readonly SourceText[]): {
  specs: LoadedSpec[];
  diagnostics: Diagnostic[];
} {
  const specs: LoadedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const src of sources) {
    const parsed = parseYaml(src.text, src.display);
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
      const locate = makeLocator(d.doc, parsed.lineCounter);
      const env = checkEnvelope(d.value, src.display, locate);
      if ('diagnostics' in env) {
        diagnostics.push(...env.diagnostics);
        continue;
      }
      const validate = documentValidator(env.kind);
      if (!validate(d.value)) {
        diagnostics.push(...schemaDiagnostics(validate.errors ?? [], src.display, locate));
        continue;
      }
      const v = d.value as Envelope;
      specs.push({
        apiVersion: v.apiVersion,
        kind: v.kind,
        name: v.metadata.name,
        labels: v.metadata.labels ?? {},
        spec: v.spec,
        source: { file: src.display, absolute: src.file, line: d.line, col: d.col },
        index: d.index,
        locate: locatorFor(d.index),
      } as LoadedSpec);
    }
  }
  return { specs, diagnostics };
}

/** Load + schema + semantic checks for every *.yaml / *.yml under `paths`. */
export async function loadSpecs(paths: readonly string[], opts: LoadOptions): Promise<LoadResult> {
  const read = await readSpecFiles(paths, opts.cwd);
  const checked = checkSources(read.sources);
  const diagnostics = [
    ...read.diagnostics,
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
  return {
    specs: checked.specs,
    diagnostics: sortDiagnostics(diagnostics),
    files: read.sources.map((s) => s.display),
  };
}
