/**
 * Finding and reading spec files. Never throws for bad input: every problem becomes a diagnostic
 * (missing paths, directories named *.yaml, FIFOs, symlink loops, huge, binary or non-UTF-8 files).
 */
import { open, readdir, realpath, stat, lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { bytePosition, checkBytes } from './utf8.ts';

/** Files above this are refused before they are read. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface SourceText {
  /** Absolute path. */
  file: string;
  /** Path for messages: relative to cwd when inside it. */
  display: string;
  text: string;
}

export interface ReadResult {
  sources: SourceText[];
  diagnostics: Diagnostic[];
}

const YAML_NAME = /\.ya?ml$/i;

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function errnoCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

/** Turns a filesystem error into a diagnostic; the message never carries a stack. */
export function fsErrorDiagnostic(err: unknown, display: string, verb: string): Diagnostic {
  const at = { file: display, line: 0, col: 0 };
  switch (errnoCode(err)) {
    case 'ENOENT':
      return diagnostic('E_NOT_FOUND', `${verb}: no such file or directory`, at);
    case 'ELOOP':
      return diagnostic(
        'E_SYMLINK_LOOP',
        `${verb}: too many levels of symbolic links (a symlink loop)`,
        at,
      );
    case 'EACCES':
    case 'EPERM':
      return diagnostic('E_UNREADABLE', `${verb}: permission denied`, at);
    case 'EISDIR':
      return diagnostic('E_NOT_A_FILE', `${verb}: is a directory`, at);
    default: {
      const code = errnoCode(err) || 'unknown error';
      return diagnostic('E_UNREADABLE', `${verb}: ${code}`, at);
    }
  }
}

async function statOrDiagnose(file: string, display: string): Promise<Stats | Diagnostic> {
  try {
    return await stat(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      // A dangling symlink exists for lstat but not for stat.
      const link = await lstat(file).catch(() => undefined);
      if (link?.isSymbolicLink()) {
        return diagnostic('E_NOT_FOUND', 'symbolic link points to a missing file', {
          file: display,
          line: 0,
          col: 0,
        });
      }
    }
    return fsErrorDiagnostic(err, display, 'cannot read');
  }
}

/** Every *.yaml / *.yml under the paths, recursively, sorted, each file once. */
export async function findSpecFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const seenDirs = new Set<string>();

  async function visit(file: string, explicit: boolean): Promise<void> {
    const display = displayPath(file, cwd);
    const st = await statOrDiagnose(file, display);
    if (!('isFile' in st)) {
      diagnostics.push(st);
      return;
    }
    const at = { file: display, line: 0, col: 0 };
    if (st.isDirectory()) {
      if (YAML_NAME.test(file)) {
        diagnostics.push(diagnostic('E_NOT_A_FILE', 'is a directory, not a YAML file', at));
        return;
      }
      // Directory symlinks can form cycles; each real directory is walked once.
      const real = await realpath(file).catch(() => file);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      let entries: string[];
      try {
        entries = (await readdir(file)).sort();
      } catch (err) {
        diagnostics.push(fsErrorDiagnostic(err, display, 'cannot list directory'));
        return;
      }
      for (const name of entries) {
        if (name.startsWith('.')) continue;
        const child = path.join(file, name);
        if (YAML_NAME.test(name)) {
          await visit(child, false);
          continue;
        }
        const cst = await stat(child).catch(() => undefined);
        if (cst?.isDirectory()) await visit(child, false);
      }
      return;
    }
    if (!st.isFile()) {
      diagnostics.push(
        diagnostic('E_NOT_A_FILE', 'not a regular file (device, FIFO or socket)', at),
      );
      return;
    }
    if (explicit || YAML_NAME.test(file)) found.add(file);
  }

  for (const p of paths) await visit(path.resolve(cwd, p), true);
  return { files: [...found].sort(), diagnostics };
}

/** Reads one file with the size, binary and encoding checks. */
export async function readSpecFile(
  file: string,
  cwd: string,
  maxBytes = MAX_FILE_BYTES,
): Promise<SourceText | Diagnostic> {
  const display = displayPath(file, cwd);
  const at = { file: display, line: 0, col: 0 };
  let bytes: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      const st = await handle.stat();
      if (st.size > maxBytes) {
        return diagnostic(
          'E_FILE_TOO_LARGE',
          `file is ${st.size} bytes; spec files are limited to ${maxBytes} bytes`,
          at,
          { hint: 'split it into several files' },
        );
      }
      bytes = new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  } catch (err) {
    return fsErrorDiagnostic(err, display, 'cannot read');
  }
  const problem = checkBytes(bytes);
  if (problem) {
    const pos = bytePosition(bytes, problem.offset);
    const where = { file: display, ...pos };
    if (problem.kind === 'binary') {
      return diagnostic('E_BINARY', 'file contains NUL bytes: binary data, not YAML', where);
    }
    if (problem.kind === 'utf16') {
      return diagnostic('E_ENCODING', 'file is UTF-16; spec files must be UTF-8', where);
    }
    return diagnostic('E_ENCODING', 'invalid UTF-8 byte sequence; spec files must be UTF-8', where);
  }
  let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file, display, text };
}

export async function readSpecFiles(paths: readonly string[], cwd: string): Promise<ReadResult> {
  const { files, diagnostics } = await findSpecFiles(paths, cwd);
  const sources: SourceText[] = [];
  for (const file of files) {
    const r = await readSpecFile(file, cwd);
    if ('text' in r) sources.push(r);
    else diagnostics.push(r);
  }
  return { sources, diagnostics };
}
