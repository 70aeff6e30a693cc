/**
 * A fast path for the common spec file: js-yaml (many times faster than the `yaml` package's
 * parser, which also builds a syntax tree for every document) with a schema that resolves plain
 * scalars exactly as the `yaml` package's YAML 1.2 core schema does. Anything outside what both
 * parsers are known to read alike returns `undefined`, and the caller parses the text with
 * `yaml` as before, so every diagnostic (and its file:line:col) still comes from that one parser.
 * test/unit/spec/fast-yaml.test.ts holds the two paths to the same values on the repository's
 * YAML, the bad-input corpus and generated corner cases.
 */
import { loadAll, Schema, Type, type State } from 'js-yaml';
import type { Diagnostic } from '../core/diagnostics.ts';
import { MAX_DEPTH, parseYaml } from './parse-yaml.ts';

export interface FastDocument {
  /** Plain JS value; null for an empty document. */
  value: unknown;
  index: number;
  /** 1-based position of the document's first node (as `yaml` gives `doc.contents.range[0]`). */
  line: number;
  col: number;
}

/** Refused with a resolve that sees an explicit tag (`!!int 0x1`): `yaml` reads those differently. */
function implicitOnly(tag: string): never {
  throw new Error(`explicit tag ${tag}`);
}

function scalar(tag: string, test: RegExp, construct: (s: string) => unknown): Type {
  return new Type(tag, {
    kind: 'scalar',
    resolve: (data: unknown, explicit?: string) => {
      if (explicit !== undefined) implicitOnly(explicit);
      return typeof data === 'string' && test.test(data);
    },
    construct: (data: string) => construct(data),
  });
}

const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * The `yaml` package's core schema tests and resolvers (yaml/dist/schema/core), in its order; one
 * js-yaml type per tag (js-yaml keeps only the last type of a tag), so int and float test their
 * variants' alternatives in turn.
 */
const CORE = new Schema({
  implicit: [
    scalar('tag:yaml.org,2002:null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar(
      'tag:yaml.org,2002:bool',
      /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      (s) => s[0] === 't' || s[0] === 'T',
    ),
    scalar('tag:yaml.org,2002:int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (s) =>
      INT_OCT.test(s)
        ? parseInt(s.substring(2), 8)
        : INT_HEX.test(s)
          ? parseInt(s.substring(2), 16)
          : parseInt(s, 10),
    ),
    scalar(
      'tag:yaml.org,2002:float',
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (s) =>
        !FLOAT_NAN.test(s)
          ? parseFloat(s)
          : s.slice(-3).toLowerCase() === 'nan'
            ? NaN
            : s.startsWith('-')
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY,
    ),
  ],
  explicit: [],
});

/**
 * Text the two parsers may read differently, so it goes to `yaml`: tabs, carriage returns and
 * other line breaks, a BOM, directives, the `...` document end, explicit `?` keys, collections or
 * null-like words as keys (`[a]: 1`, `~: 1`, `a : 1`), and lines long enough to hit the 1024-char
 * implicit key limit. Matches inside quoted strings only cost speed.
 */
const UNSUPPORTED: readonly RegExp[] = [
  /[\t\r\uFEFF\u0085\u2028\u2029]/,
  /^%/m,
  /^\.\.\./m,
  /^---(?:[^ \n]|[ ]+[^#\s])/m,
  /[|>](?:[+-]?[1-9]|[1-9]?\+)/,
  /(?:^|[ ])-[ ]*$/m,
  /['"\]}]#/,
  /(?:^|[\s[{,])\?(?:\s|$)/m,
  /[\]}]\s*:(?:[\s,\]}]|$)/m,
  /(?:^|[\s[{,])(?:~|null|Null|NULL)?[ ]*:(?:[\s,[\]{}]|$)/m,
];

/** The `yaml` package refuses implicit keys longer than 1024 characters. */
const LONG_LINE = 1000;

function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if ((end < 0 ? text.length : end) - start >= LONG_LINE) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}

/** Documents of `text`, or undefined when it must go to the `yaml` parser. */
export function fastParseDocuments(text: string): FastDocument[] | undefined {
  // Each test on its own: one alternation of them all is several times slower.
  if (UNSUPPORTED.some((re) => re.test(text)) || hasLongLine(text)) return undefined;
  const starts: number[] = [];
  // Where the node open at each depth starts, its first character ('{': a flow mapping), and
  // whether it is a key of a flow mapping.
  const openedAt: number[] = [];
  const opened: number[] = [];
  const flowKey: boolean[] = [];
  let refused = false;
  let values: unknown[];
  try {
    values = loadAll(text, undefined, {
      schema: CORE,
      listener(
        event: 'open' | 'close',
        state: State & { depth: number; tag?: string | null; anchorMap?: object },
      ) {
        const depth = state.depth;
        if (event === 'open') {
          const at = nodeStart(text, state.position);
          const c = text.charCodeAt(at);
          openedAt[depth] = at;
          opened[depth] = c;
          if (depth === 1) starts.push(state.position);
          // (js-yaml opens some nodes twice at one place: the inner one is the same node.)
          const key =
            depth > 1 &&
            opened[depth - 1] === 0x7b &&
            openedAt[depth - 1] !== at &&
            !afterColon(text, at);
          flowKey[depth] = key;
          // A collection as a key of a flow mapping (`{ [a] }`): js-yaml joins it, `yaml` prints it.
          if (key && (c === 0x5b || c === 0x7b)) refused = true;
          return;
        }
        // A null key (`{~}`) is 'null' here and '' in `yaml`; a non-specific tag (`key: !`) reads
        // as '' in `yaml`, null here; anchors make aliases, which `yaml` bounds and this shares.
        if (flowKey[depth] === true && state.result === null) refused = true;
        if (state.tag === '!') refused = true;
        if (depth === 1 && state.anchorMap && Object.keys(state.anchorMap).length > 0) {
          refused = true;
        }
      },
      onWarning: () => {
        refused = true;
      },
      maxDepth: MAX_DEPTH,
    } as Parameters<typeof loadAll>[2]);
  } catch {
    return undefined;
  }
  if (refused || starts.length !== values.length) return undefined;
  return positions(text, values, starts);
}

/**
 * A spec file's documents and YAML diagnostics: the fast path when it applies, else `yaml` (which
 * also gives every diagnostic its position). Neither keeps a syntax tree.
 */
export function parseSpecYaml(
  text: string,
  file: string,
): { documents: FastDocument[]; diagnostics: Diagnostic[] } {
  const fast = fastParseDocuments(text);
  if (fast) return { documents: fast, diagnostics: [] };
  const parsed = parseYaml(text, file);
  return {
    documents: parsed.documents.map(({ value, index, line, col }) => ({ value, index, line, col })),
    diagnostics: parsed.diagnostics,
  };
}

/** A block node opens before the space and comments that precede it. */
function nodeStart(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a) i++;
    else if (c === 0x23) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return text.length;
      i = eol;
    } else return i;
  }
}

/** Whether the node at `at` is a value (`key: [..]`): the nearest character before it is ':'. */
function afterColon(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\n')) i--;
  return text[i] === ':';
}

/** Offsets to 1-based line:col in one pass (the offsets grow). */
function positions(text: string, values: unknown[], starts: number[]): FastDocument[] {
  const docs: FastDocument[] = [];
  let line = 1;
  let lineStart = 0;
  let at = 0;
  values.forEach((value, index) => {
    const offset = starts[index] ?? 0;
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 10) {
        line++;
        lineStart = at + 1;
      }
    }
    docs.push({ value, index, line, col: offset - lineStart + 1 });
  });
  return docs;
}
