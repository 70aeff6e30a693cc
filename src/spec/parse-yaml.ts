/**
 * YAML text -> documents with positions. Bounded: aliases (billion laughs), nesting depth, and
 * only the first syntax error of a document (later ones are usually its echoes).
 */
import {
  isAlias,
  isCollection,
  isPair,
  LineCounter,
  parseAllDocuments,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../core/diagnostics.ts';
import { flowDepthExceeded } from './flow-depth.ts';

export const MAX_DEPTH = 64;
export const MAX_ALIAS_COUNT = 100;

export interface ParsedDocument {
  doc: Document.Parsed;
  /** Plain JS value; undefined for an empty document. */
  value: unknown;
  index: number;
  line: number;
  col: number;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  lineCounter: LineCounter;
  diagnostics: Diagnostic[];
}

function yamlCode(code: string): DiagnosticCode {
  if (code === 'DUPLICATE_KEY') return 'E_DUPLICATE_KEY';
  if (code === 'TAB_AS_INDENT') return 'E_TAB';
  return 'E_YAML_SYNTAX';
}

/** The yaml package's message without its " at line X, column Y:" tail and code excerpt. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function linePos(lc: LineCounter, offset: number): { line: number; col: number } {
  return lc.linePos(offset);
}

/** Deepest nesting of the document's nodes, iteratively (no recursion on hostile input). */
function findTooDeep(doc: Document.Parsed, max: number): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > max) return node;
    for (const item of node.items) {
      if (isPair(item)) stack.push({ node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

function findUnresolvedAlias(doc: Document.Parsed): Alias | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      if (node.resolve(doc) === undefined) return node;
    } else if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return undefined;
}

export function parseYaml(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];

  const tooDeep = flowDepthExceeded(text, MAX_DEPTH);
  if (tooDeep >= 0) {
    // Positions before parsing: count lines by hand.
    const before = text.slice(0, tooDeep);
    const line = before.split('\n').length;
    const col = tooDeep - before.lastIndexOf('\n');
    diagnostics.push(
      diagnostic('E_TOO_DEEP', `nested more than ${MAX_DEPTH} levels deep`, { file, line, col }),
    );
    return { documents, lineCounter, diagnostics };
  }

  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const at = (offset: number): { file: string; line: number; col: number } => ({
      file,
      ...linePos(lineCounter, offset),
    });
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      let reported = false;
      for (const e of problems) {
        const code = yamlCode(e.code);
        if (reported && code === 'E_YAML_SYNTAX') continue;
        reported ||= code === 'E_YAML_SYNTAX';
        const pos = e.linePos?.[0] ?? linePos(lineCounter, e.pos[0]);
        diagnostics.push(diagnostic(code, firstLine(e.message), { file, ...pos }));
      }
      return;
    }
    const deep = findTooDeep(doc, MAX_DEPTH);
    if (deep) {
      diagnostics.push(
        diagnostic(
          'E_TOO_DEEP',
          `nested more than ${MAX_DEPTH} levels deep`,
          at(deep.range?.[0] ?? 0),
        ),
      );
      return;
    }
    const unresolved = findUnresolvedAlias(doc);
    if (unresolved) {
      diagnostics.push(
        diagnostic(
          'E_YAML_SYNTAX',
          `alias *${String(unresolved.source)} refers to no anchor`,
          at(unresolved.range?.[0] ?? 0),
        ),
      );
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code: DiagnosticCode = /alias count/i.test(message) ? 'E_ALIAS_LIMIT' : 'E_YAML_SYNTAX';
      const text =
        code === 'E_ALIAS_LIMIT'
          ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} per anchor): refused as a resource exhaustion attack`
          : firstLine(message);
      diagnostics.push(diagnostic(code, text, at(doc.contents?.range[0] ?? doc.range[0])));
      return;
    }
    const start = doc.contents?.range[0] ?? doc.range[0];
    documents.push({ doc, value, index, ...linePos(lineCounter, start) });
  });
  return { documents, lineCounter, diagnostics };
}
