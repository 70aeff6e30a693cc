/** From a path inside a document (`['spec', 'outputs', 0]`) to the YAML node and its line:col. */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

interface Located {
  node: Node | undefined;
  /** The key node when the last segment was a map key. */
  key: Node | undefined;
}

function resolve(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** Walks as far as the path exists; returns the deepest node reached. */
export function findNode(
  doc: Document.Parsed,
  path: readonly PathSegment[],
): Located & { depth: number } {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let depth = 0;
  for (const seg of path) {
    const current = resolve(doc, node);
    if (isMap(current)) {
      const pair = current.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(seg),
      );
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(current) && typeof seg === 'number') {
      const item = current.items[seg];
      if (item === undefined) break;
      key = undefined;
      node = item;
    } else break;
    depth++;
  }
  return { node: node as Node | undefined, key, depth };
}

/** ajv's `/spec/outputs/0` -> `['spec', 'outputs', 0]`. */
export function splitPointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** `spec.outputs[0].file`. */
export function dottedPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export interface Position {
  line: number;
  col: number;
  /** Set when the value comes from another file than the document's (an overlay's patch). */
  file?: string;
}

export interface Locator {
  /** Position of the value at `path` (or `useKey`: of its key); the nearest existing ancestor otherwise. */
  (path: readonly PathSegment[], useKey?: boolean): Position;
}

export function makeLocator(doc: Document.Parsed, lineCounter: LineCounter): Locator {
  return (path, useKey = false) => {
    const found = findNode(doc, path);
    const target = useKey && found.depth === path.length && found.key ? found.key : found.node;
    const offset = target?.range?.[0] ?? doc.contents?.range?.[0] ?? doc.range[0];
    return lineCounter.linePos(offset);
  };
}
