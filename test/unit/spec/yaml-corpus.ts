/**
 * YAML texts for the differential test of the two spec parsers: the repository's own YAML files,
 * the bad-input corpus, and seeded mutations of any texts (inserted
 * indicators, deleted spans, re-indented and duplicated lines), which produce the odd and broken
 * inputs where two parsers are most likely to part ways. Corner cases and generated files are in
 * yaml-corner-cases.ts and yaml-generated.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BAD_CASES } from '../../fixtures/bad-specs/cases.ts';

export function repositoryYaml(root: string): { name: string; text: string }[] {
  const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return files.map((f) => ({ name: f, text: readFileSync(path.join(root, f), 'utf8') }));
}

export function badCaseYaml(): { name: string; text: string }[] {
  return BAD_CASES.flatMap((c) =>
    Object.entries(c.files)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length < 100_000)
      .map(([file, text]) => ({ name: `${c.name}: ${file}`, text })),
  );
}

/** Small deterministic PRNG (mulberry32): the same mutations on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  ':',
  ': ',
  '- ',
  ' ',
  '  ',
  '\n',
  '\n  ',
  '"',
  "'",
  '#',
  ' #',
  '[',
  ']',
  '{',
  '}',
  ',',
  ', ',
  '|',
  '>',
  '|-\n',
  '>+\n',
  '---\n',
  '...\n',
  '&a ',
  '*a',
  '!!str ',
  '! ',
  '? ',
  '~',
  'null',
  '0x1F',
  '0o17',
  '1_000',
  '.5',
  '+1',
  '-0',
  '1e3',
  '.inf',
  'True',
  '\\',
  '"\\x41"',
  '@',
  '`',
  '%',
  '\t',
  '\r\n',
  'a: b',
  '- a',
  '{a: 1}',
  '[1, 2]',
  ': x',
  'key:',
  '\u00e9',
  '😀',
];

function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const at = pick(text.length + 1);
  switch (pick(5)) {
    case 0:
      return text.slice(0, at) + INSERTS[pick(INSERTS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + pick(8));
    case 2: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines[i] = pick(2) === 0 ? ` ${lines[i]}` : (lines[i] ?? '').replace(/^ /, '');
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines.splice(i, 0, lines[pick(lines.length)] ?? '');
      return lines.join('\n');
    }
    default:
      return text.slice(0, at) + text.slice(pick(text.length + 1));
  }
}

/** `count` mutants of the bases, one to three mutations each. */
export function mutants(bases: readonly string[], count: number, seed = 15): string[] {
  const random = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = bases[Math.floor(random() * bases.length)] ?? '';
    const n = 1 + Math.floor(random() * 3);
    for (let k = 0; k < n; k++) text = mutate(text, random);
    out.push(text);
  }
  return out;
}
