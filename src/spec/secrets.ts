/**
 * Secret references: resolving `{fromEnv}` / `{fromFile}`, collecting resolved values so renderers
 * can scrub them, and redacting references for display. Errors never include a secret's value.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findSecretRefs } from './semantic/secret-refs.ts';
import type { LoadedSpec } from './types.ts';

export type SecretRef = { fromEnv: string } | { fromFile: string };

export interface SecretContext {
  env: Record<string, string | undefined>;
  /** Directory of the spec file; `fromFile` paths are relative to it. */
  baseDir: string;
}

/** The environment, read once at the boundary (CLI, daemon command) and handed down. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Resolves one reference (throws SecretResolutionError); `fromFile` is relative to `baseDir`. */
export type SecretResolver = (ref: SecretRef, baseDir: string) => string;

/**
 * What the boundary hands down to the pipeline: the environment and a resolver of secret
 * references, so nothing below the boundary reads the environment or files itself.
 */
export interface Secrets {
  env: Env;
  resolve: SecretResolver;
}

/** Where a spec's references resolve: the handed-down secrets and the spec file's directory. */
export interface SecretScope {
  secrets: Secrets;
  baseDir: string;
}

/** The boundary's secrets: references resolved from this environment and the file system. */
export function boundarySecrets(env: Env): Secrets {
  return { env, resolve: (ref, baseDir) => resolveSecret(ref, { env, baseDir }) };
}

/** Secrets that resolve from these variables only (`fromFile` fails): values already in hand. */
export function envSecrets(env: Env): Secrets {
  return {
    env,
    resolve: (ref) => {
      if ('fromEnv' in ref) return resolveSecret(ref, { env, baseDir: '.' });
      throw new SecretResolutionError(
        `cannot read secret file ${ref.fromFile}: not available here`,
      );
    },
  };
}

export class SecretResolutionError extends Error {
  override readonly name = 'SecretResolutionError';
}

export const REDACTED = '(sensitive)';

export function isSecretRef(value: unknown): value is SecretRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const v = value as Record<string, unknown>;
  return typeof v['fromEnv'] === 'string' || typeof v['fromFile'] === 'string';
}

/** The secret's value; a trailing newline of a file is dropped (editors add one). */
export function resolveSecret(ref: SecretRef, ctx: SecretContext): string {
  if ('fromEnv' in ref) {
    const v = ctx.env[ref.fromEnv];
    if (v === undefined || v === '') {
      throw new SecretResolutionError(`environment variable ${ref.fromEnv} is not set`);
    }
    return v;
  }
  const file = path.resolve(ctx.baseDir, ref.fromFile);
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code =
      typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
    throw new SecretResolutionError(`cannot read secret file ${ref.fromFile}: ${code}`);
  }
}

/**
 * Every resolvable secret value of the specs (unresolvable ones are skipped: this feeds scrubbing,
 * not validation). Renderers replace these strings wherever they appear.
 */
export function collectSecretValues(
  specs: readonly LoadedSpec[],
  resolve: SecretResolver,
): string[] {
  const values = new Set<string>();
  for (const spec of specs) {
    const baseDir = path.dirname(spec.source.absolute);
    for (const { ref } of findSecretRefs(spec.spec)) {
      try {
        const v = resolve(ref, baseDir);
        if (v.length >= 4) values.add(v);
      } catch {
        // An unset secret is reported where it is used, not here.
      }
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A copy with every secret reference replaced by `(sensitive)`, for display. */
export function redactSecrets<T>(value: T): T {
  if (isSecretRef(value)) return REDACTED as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(v);
    return out as T;
  }
  return value;
}

/** Replaces known secret values in text (longest first, so a prefix cannot leave a tail behind). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}
