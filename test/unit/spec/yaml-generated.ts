/**
 * Random values written by `yaml` in every style it has (plain, quoted and block strings, block and
 * flow collections, indents, line widths), for the differential parser test.
 */
import { stringify, type ToStringOptions } from 'yaml';
import { rng } from './yaml-corpus.ts';

const WORDS = [
  'a',
  'room-1',
  'yes',
  'no',
  'on',
  'null',
  '~',
  'true',
  'False',
  '1e3',
  '0x1F',
  '0o7',
  '.5',
  '-',
  '- a',
  ': ',
  'a: b',
  '#',
  'a #b',
  "it's",
  'a"b',
  '',
  ' lead',
  'trail ',
  'multi\nline',
  'two\n\nbreaks\n',
  'end\n',
  '\u00e9t\u00e9',
  '😀',
  '@x',
  '`x',
  '%x',
  '!x',
  '&x',
  '*x',
  '[x]',
  '{x}',
  'x,y',
  '?',
  '|',
  '>',
  'http://x:1/y',
  '0 9 * * 1-5',
  'x'.repeat(120),
  '007',
  '+1',
  '1_000',
  '2024-01-01',
];

function randomValue(random: () => number, depth: number): unknown {
  const pick = (n: number) => Math.floor(random() * n);
  const r = pick(depth > 3 ? 6 : 9);
  if (r === 0)
    return [0, -0, 1, -17, 2 ** 40, 1.5, -0.25, 1e21, NaN, Infinity, -Infinity][pick(11)];
  if (r === 1) return [true, false, null][pick(3)];
  if (r <= 5) return WORDS[pick(WORDS.length)];
  if (r <= 6) return Array.from({ length: pick(4) }, () => randomValue(random, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = pick(5); i > 0; i--)
    obj[WORDS[pick(WORDS.length)] ?? 'k'] = randomValue(random, depth + 1);
  return obj;
}

const STRING_TYPES = [
  'PLAIN',
  'QUOTE_DOUBLE',
  'QUOTE_SINGLE',
  'BLOCK_LITERAL',
  'BLOCK_FOLDED',
] as const;

/** `count` files of one to three random documents, each written in a random `yaml` style. */
export function generated(count: number, seed = 12): string[] {
  const random = rng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const docs = Array.from({ length: 1 + pick(3) }, () => {
      const options: ToStringOptions = {
        defaultStringType: one(STRING_TYPES),
        defaultKeyType: pick(2) === 0 ? null : 'PLAIN',
        collectionStyle: one(['any', 'block', 'flow'] as const),
        indent: 2 + 2 * pick(2),
        indentSeq: pick(2) === 0,
        lineWidth: one([0, 20, 80]),
      };
      return stringify(randomValue(random, 0), options);
    });
    out.push(docs.join(pick(2) === 0 ? '---\n' : '\n---\n'));
  }
  return out;
}
