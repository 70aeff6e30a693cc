/**
 * Secrets of the persistent kinds (SIP auth passwords, dispatch PINs): resolved only by the
 * executor and, to detect a change, hashed. Only the hash is kept (in state, as the owned object's
 * specHash); plans show `(sensitive value)` and list the paths in `sensitivePaths`.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { JsonValue } from '../../core/plan.ts';
import { isSecretRef, type SecretScope } from '../../spec/secrets.ts';

export type Json = { [key: string]: JsonValue };

export const SENSITIVE_VALUE = '(sensitive value)';

/** Dot paths of every secret reference in a spec. */
export function secretPaths(value: JsonValue, path = ''): string[] {
  if (isSecretRef(value)) return [path];
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  return entries.flatMap(([k, v]) => secretPaths(v, path ? `${path}.${k}` : k));
}

/** A copy with every secret reference replaced by its value. Throws when one cannot be read. */
export function resolveSecrets(value: JsonValue, ctx: SecretScope): JsonValue {
  if (isSecretRef(value)) return ctx.secrets.resolve(value, ctx.baseDir);
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, ctx));
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveSecrets(v, ctx);
    return out;
  }
  return value;
}

/** A copy with every secret reference replaced by the placeholder, for `after`. */
export function maskSecrets(value: JsonValue): JsonValue {
  if (isSecretRef(value)) return SENSITIVE_VALUE;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(v);
    return out;
  }
  return value;
}

function at(value: JsonValue, path: string): JsonValue {
  let v: JsonValue = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (Array.isArray(v) ? v[Number(key)] : v[key]) ?? null;
  }
  return v;
}

/**
 * The hash of the resolved secret values of a spec, or undefined when it declares none. An
 * HMAC-SHA-256 keyed with the API secret (when set) and salted with the address: a short PIN's hash
 * in a state file cannot be brute-forced without the key, and equal passwords hash differently.
 */
export function secretHashOf(
  address: string,
  resolved: JsonValue,
  paths: string[],
  key: string,
): string | undefined {
  if (paths.length === 0) return undefined;
  const values = paths.map((p) => [p, at(resolved, p)]);
  return createHmac('sha256', `livekit-gitops/secrets/v1\0${key}`)
    .update(`${address}\0${canonicalJson(values)}`)
    .digest('hex')
    .slice(0, 32);
}

/** The hash at plan time; undefined when a secret cannot be read now (the diff then skips it). */
export function tryHashSecrets(
  address: string,
  spec: JsonValue,
  ctx: SecretScope,
): string | undefined {
  const paths = secretPaths(spec);
  if (paths.length === 0) return undefined;
  try {
    return secretHashOf(address, resolveSecrets(spec, ctx), paths, hashKey(ctx.secrets.env));
  } catch {
    return undefined;
  }
}

/** The HMAC key: the API secret, so the hash is useless to whoever reads only the state. */
export function hashKey(env: Record<string, string | undefined>): string {
  return env['LIVEKIT_API_SECRET'] ?? '';
}
