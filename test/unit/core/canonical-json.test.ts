import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a64, hashOf } from '../../../src/core/canonical-json.ts';

/** The textbook FNV-1a 64 with BigInt, to check the limb arithmetic against. */
function reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('core/canonical-json', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"z":1}]},"b":1}',
    );
  });

  it('serialises undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson([1, undefined, 'x'])).toBe('[1,null,"x"]');
  });

  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('fnv1a64(%j) is the published test vector %s', (text, hex) => {
    expect(fnv1a64(text)).toBe(hex);
  });

  it.each(['room.all-hands', 'ünïcödé 🎉', 'x'.repeat(10_000), '{"a":1}'])(
    'fnv1a64 matches the BigInt reference for %#',
    (text) => {
      expect(fnv1a64(text)).toBe(reference(text));
    },
  );

  it('hashes equal values equally whatever their key order', () => {
    expect(hashOf({ a: 1, b: [1, 2] })).toBe(hashOf({ b: [1, 2], a: 1 }));
    expect(hashOf({ a: 1 })).not.toBe(hashOf({ a: 2 }));
    expect(hashOf({ a: 1 })).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
  });
});
