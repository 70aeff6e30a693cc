/**
 * Canonical JSON and a small pure hash, for the plan's spec/live/state fingerprints.
 * Canonical means: object keys sorted, `undefined` members dropped, no whitespace, so two
 * equal values always serialise (and hash) the same whatever order their keys were built in.
 */

/** Serialise with sorted keys; `undefined` object members are dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Numbers, strings, booleans; undefined at the top level serialises as null.
    return JSON.stringify(value ?? null);
  }
  // One growing string rather than arrays joined at every level: plans hash megabytes of this.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out += (i === 0 ? '' : ',') + canonicalJson(item === undefined ? null : item);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

const encoder = new TextEncoder();

/**
 * FNV-1a 64-bit over the UTF-8 bytes, as 16 hex digits. Computed in four 16-bit limbs so it
 * stays in exact double arithmetic (BigInt per byte is an order of magnitude slower on the
 * megabyte-sized inputs of a 5,000-room plan). Not cryptographic: it detects change, nothing more.
 */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const bytes = encoder.encode(text);
  // An indexed loop: the iterator protocol costs more than the arithmetic.
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, keeping the low 64 bits.
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    let t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    t3 += t2 >>> 16;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** `fnv1a64:<hex>` of the canonical JSON of a value: the form stored in plans. */
export function hashOf(value: unknown): string {
  return `fnv1a64:${fnv1a64(canonicalJson(value))}`;
}
