// The fast spec parser against the `yaml` package it stands in for: same documents (values,
// indexes, positions) and the same diagnostics, over the repository's YAML, the bad-input corpus,
// hand-written corner cases, seeded mutations of all of them and random values in every style.
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastParseDocuments, parseSpecYaml } from '../../../src/spec/fast-yaml.ts';
import { parseYaml } from '../../../src/spec/parse-yaml.ts';
import { badCaseYaml, mutants, repositoryYaml } from './yaml-corpus.ts';
import { CORNER_CASES } from './yaml-corner-cases.ts';
import { generated } from './yaml-generated.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const present = (v: unknown): boolean => v !== null && v !== undefined;

/** What the loader takes from a file: its non-empty documents and its diagnostics. */
function reference(text: string): unknown {
  const parsed = parseYaml(text, 'f.yaml');
  return {
    documents: parsed.documents
      .filter((d) => present(d.value))
      .map(({ value, index, line, col }) => ({ value, index, line, col })),
    diagnostics: parsed.diagnostics,
  };
}

function candidate(text: string): unknown {
  const parsed = parseSpecYaml(text, 'f.yaml');
  return {
    documents: parsed.documents.filter((d) => present(d.value)),
    diagnostics: parsed.diagnostics,
  };
}

/** The texts whose two readings differ (at most a few, for the failure message). */
function differing(texts: readonly string[]): { text: string; fast: unknown; yaml: unknown }[] {
  const out: { text: string; fast: unknown; yaml: unknown }[] = [];
  for (const text of texts) {
    const fast = candidate(text);
    const yaml = reference(text);
    if (!isDeepStrictEqual(fast, yaml) && out.length < 5) out.push({ text, fast, yaml });
  }
  return out;
}

const repository = repositoryYaml(root);
const bad = badCaseYaml();
const bases = [...repository.map((f) => f.text), ...bad.map((c) => c.text), ...CORNER_CASES];

describe('fast spec YAML parsing', () => {
  it('reads every YAML file of the repository as yaml does, on the fast path', () => {
    expect(repository.length).toBeGreaterThan(10);
    expect(differing(repository.map((f) => f.text))).toEqual([]);
    const rooms = repository.filter((f) => f.name.startsWith('rooms/'));
    expect(rooms.filter((f) => fastParseDocuments(f.text) === undefined)).toEqual([]);
  });

  it('gives the bad-input corpus the same documents and diagnostics', () => {
    expect(differing(bad.map((c) => c.text))).toEqual([]);
  });

  it('agrees on scalars, keys, block scalars, flow forms and document markers', () => {
    expect(differing(CORNER_CASES)).toEqual([]);
    // Most of them take the fast path, so the comparison is not only of `yaml` with itself.
    const fast = CORNER_CASES.filter((t) => fastParseDocuments(t) !== undefined).length;
    expect(fast).toBeGreaterThan(CORNER_CASES.length / 2);
  });

  // Each text is parsed twice by yaml and once by js-yaml: seconds on a loaded machine.
  it('agrees on 2,000 seeded mutations of all of the above', { timeout: 60_000 }, () => {
    const texts = mutants(bases, 2000);
    expect(differing(texts)).toEqual([]);
    expect(texts.filter((t) => fastParseDocuments(t) !== undefined).length).toBeGreaterThan(500);
  });

  it(
    'agrees on 1,000 files of random values written in every style yaml has',
    {
      timeout: 60_000,
    },
    () => {
      const texts = generated(1000);
      expect(differing(texts)).toEqual([]);
      expect(texts.filter((t) => fastParseDocuments(t) !== undefined).length).toBeGreaterThan(300);
    },
  );

  it('leaves anchors, tags, tabs, directives and collection keys to yaml', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!int 0x10\n',
      'a: ! 1\n',
      'a:\n\tb: 1\n',
      '%YAML 1.2\n---\na: 1\n',
      '[a, b]: c\n',
      'a: { [b] }\n',
      '~: a\n',
      'a: b\r\n',
    ]) {
      expect(fastParseDocuments(text), text).toBeUndefined();
    }
  });

  it('gives documents after the first their own line and column', () => {
    const text = '# lead\na: 1\n---\n\n  # c\nb: [1, 2]\n--- # after\n- x\n';
    expect(fastParseDocuments(text)).toEqual([
      { value: { a: 1 }, index: 0, line: 2, col: 1 },
      { value: { b: [1, 2] }, index: 1, line: 6, col: 1 },
      { value: ['x'], index: 2, line: 8, col: 1 },
    ]);
  });
});
