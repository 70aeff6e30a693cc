/**
 * The files `import` writes: one YAML file per kind, several documents each, headed by the
 * editor schema line when the output directory is inside the project. Existing files are never
 * overwritten without `force`, and that is checked for every file before the first is written.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../core/errors.ts';
import { kebab } from '../spec/spec-constants.ts';
import type { ImportKind } from '../app/import-map.ts';
import type { ImportedDoc } from '../app/import-plan.ts';

export interface ImportFile {
  /** Path relative to the working directory. */
  file: string;
  kind: ImportKind;
  text: string;
}

/** `room.yaml`, `sip-inbound-trunk.yaml`, ... */
export function fileNameOf(kind: ImportKind): string {
  return `${kebab(kind)}.yaml`;
}

/**
 * The `$schema` reference for files in `outDir`: the project's `schemas/spec.json` relative to
 * it, when `outDir` is inside the project and the project has that file; otherwise none.
 */
export function schemaRef(outDir: string, projectDir: string): string | undefined {
  const out = path.resolve(projectDir, outDir);
  const rel = path.relative(projectDir, out);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const schema = path.join(projectDir, 'schemas', 'spec.json');
  if (!existsSync(schema)) return undefined;
  return path.relative(out, schema).split(path.sep).join('/');
}

export function renderKindFile(docs: readonly ImportedDoc[], schema: string | undefined): string {
  const head = schema === undefined ? '' : `# yaml-language-server: $schema=${schema}\n`;
  const body = docs
    .map((d) => stringify(d.document, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
  return head + body;
}

/** One file per kind that has documents, in the order of the docs. */
export function importFiles(
  docs: readonly ImportedDoc[],
  outDir: string,
  projectDir: string,
): ImportFile[] {
  const schema = schemaRef(outDir, projectDir);
  const byKind = new Map<ImportKind, ImportedDoc[]>();
  for (const d of docs) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
  return [...byKind].map(([kind, list]) => ({
    kind,
    file: path.join(outDir, fileNameOf(kind)),
    text: renderKindFile(list, schema),
  }));
}

/** Writes every file, or none when one exists already and `force` is off. */
export async function writeImportFiles(
  files: readonly ImportFile[],
  projectDir: string,
  force: boolean,
): Promise<void> {
  const abs = (f: ImportFile): string => path.resolve(projectDir, f.file);
  if (!force) {
    const existing = files.filter((f) => existsSync(abs(f))).map((f) => f.file);
    if (existing.length > 0) {
      throw new UsageError(
        `refusing to overwrite ${existing.join(', ')} (use --force, or another --out directory)`,
      );
    }
  }
  for (const f of files) {
    await mkdir(path.dirname(abs(f)), { recursive: true });
    await writeFile(abs(f), f.text, 'utf8');
  }
}
