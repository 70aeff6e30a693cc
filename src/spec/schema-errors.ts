/**
 * ajv errors -> diagnostics with positions. A failed oneOf/anyOf produces one error per branch in
 * ajv; here it becomes one clear message (or the errors of the one branch whose type fits).
 */
import type { ErrorObject } from 'ajv';
import {
  diagnostic,
  didYouMean,
  type Diagnostic,
  type DiagnosticCode,
} from '../core/diagnostics.ts';
import { parseDuration } from './duration.ts';
import { NOT_SHOWN, quoted } from './echo-value.ts';
import { dottedPath, splitPointer, type Locator, type PathSegment } from './positions.ts';
import { DURATION_PATTERN, ENV_NAME_PATTERN } from './spec-constants.ts';
import { AGENT_NAME_PATTERN } from '../kinds/room/limits.ts';

type Schema = Record<string, unknown>;

const RANGE = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'uniqueItems',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fits(schemaType: unknown, value: unknown): boolean {
  const t = typeOf(value);
  const types = Array.isArray(schemaType) ? schemaType : [schemaType];
  return types.some((s) => s === t || (s === 'number' && t === 'integer'));
}

/** `(got string "x")`, or only the type where the value may be a secret. */
function got(path: readonly PathSegment[], v: unknown, withType: boolean): string {
  const q = quoted(path, v);
  if (q === undefined) return withType ? `(got ${typeOf(v)}; ${NOT_SHOWN.slice(1)}` : NOT_SHOWN;
  return withType ? `(got ${typeOf(v)} ${q})` : `(got ${q})`;
}

/** `"x" ` before a sentence about the value, or nothing where it may be a secret. */
function subject(path: readonly PathSegment[], v: unknown): string {
  const q = quoted(path, v);
  return q === undefined ? 'the value' : q;
}

function isSecretRefSchema(s: unknown): boolean {
  return typeof s === 'object' && s !== null && (s as Schema)['title'] === 'SecretRef';
}

function requiredBranches(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const b of branches) {
    const req = (b as Schema)['required'];
    if (Object.keys(b as Schema).length !== 1 || !Array.isArray(req) || req.length !== 1)
      return undefined;
    names.push(String(req[0]));
  }
  return names;
}

/**
 * Whether `x` is one of the union `u`'s branch errors: below it in the schema and at or below its
 * value (the same schema path repeats for every item of an array).
 */
function within(x: ErrorObject, u: ErrorObject): boolean {
  return (
    x.schemaPath.startsWith(u.schemaPath + '/') &&
    (x.instancePath === u.instancePath || x.instancePath.startsWith(u.instancePath + '/'))
  );
}

/** Whether every field of the object `data` is one of the object schema's properties. */
function hasAllFields(schema: Schema, data: unknown): boolean {
  const props = schema['properties'] as Schema | undefined;
  if (!props || typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  return Object.keys(data).every((k) => Object.hasOwn(props, k));
}

interface Mapped {
  code: DiagnosticCode;
  message: string;
  path: PathSegment[];
  useKey?: boolean;
  hint?: string;
}

function mapUnion(e: ErrorObject, errors: ErrorObject[]): { mapped?: Mapped; keep: ErrorObject[] } {
  const prefix = e.schemaPath + '/';
  const inside = errors.filter((x) => within(x, e));
  const path = splitPointer(e.instancePath);
  const where = dottedPath(path);
  const parent = e.parentSchema as Schema;
  const branches = parent[e.keyword] as Schema[];
  if (isSecretRefSchema(parent)) {
    const data = e.data as Record<string, unknown> | null;
    if (
      data &&
      typeof data === 'object' &&
      typeof data['fromEnv'] === 'string' &&
      Object.keys(data).length === 1
    ) {
      return {
        keep: [],
        mapped: {
          code: 'E_SECRET_REF',
          message: `${where}.fromEnv: ${subject([...path, 'fromEnv'], data['fromEnv'])} is not an environment variable name ([A-Z_][A-Z0-9_]*)`,
          path: [...path, 'fromEnv'],
        },
      };
    }
    return {
      keep: [],
      mapped: {
        code: 'E_SECRET_REF',
        message: `${where} must be a secret reference, { fromEnv: NAME } or { fromFile: path }; secrets are never written inline`,
        path,
      },
    };
  }
  const choices = requiredBranches(branches);
  if (choices) {
    // In the document's order, so the second one given is the one reported as conflicting.
    const given = e.data && typeof e.data === 'object' ? Object.keys(e.data) : [];
    const present = given.filter((k) => choices.includes(k));
    const message =
      e.keyword === 'anyOf'
        ? `${where} needs at least one of ${choices.join(', ')}`
        : present.length === 0
          ? `${where} needs exactly one of ${choices.join(', ')}`
          : `${where} must have only one of ${choices.join(', ')} (found ${present.join(', ')})`;
    const code: DiagnosticCode = present.length === 0 ? 'E_MISSING_FIELD' : 'E_SCHEMA_ONE_OF';
    // Too many given: point at the second of them (the first that conflicts), not the object.
    const conflicting = e.keyword === 'oneOf' ? present[1] : undefined;
    if (conflicting !== undefined) {
      return {
        keep: [],
        mapped: { code, message, path: [...path, conflicting], useKey: true },
      };
    }
    return { keep: [], mapped: { code, message, path } };
  }
  // A union of types: keep the errors of the one branch whose type fits the value, if any.
  const fitting = branches
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => fits(b['type'], e.data) || isSecretRefSchema(b))
    .filter((f, _, all) => all.length === 1 || hasAllFields(f.b, e.data));
  if (fitting.length === 1) {
    const only = fitting[0]!;
    const branchPrefix = `${prefix}${only.i}`;
    if (isSecretRefSchema(only.b) && typeOf(e.data) === 'object') {
      return mapUnion(
        { ...e, parentSchema: only.b, keyword: 'anyOf', schemaPath: branchPrefix + '/anyOf' },
        [],
      );
    }
    return { keep: inside.filter((x) => x.schemaPath.startsWith(branchPrefix + '/')) };
  }
  // Object branches are told apart by their titles and fields (`SSH key { sshKey, knownHosts }`).
  const names = branches.map((b) =>
    isSecretRefSchema(b)
      ? 'a secret reference'
      : typeof b['title'] === 'string' && b['properties']
        ? `${b['title']} { ${Object.keys(b['properties'] as Schema).join(', ')} }`
        : String(b['type']),
  );
  return {
    keep: [],
    mapped: {
      code: 'E_SCHEMA_TYPE',
      message: `${where} must be ${names.join(' or ')} (got ${typeOf(e.data)})`,
      path,
    },
  };
}

function mapOne(e: ErrorObject): Mapped | undefined {
  const path = splitPointer(e.instancePath);
  const where = dottedPath(path) || 'document';
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Schema;
  switch (e.keyword) {
    case 'required': {
      const field = String(params['missingProperty']);
      return {
        code: 'E_MISSING_FIELD',
        message: `${where}: missing required field '${field}'`,
        path,
      };
    }
    case 'additionalProperties': {
      const field = String(params['additionalProperty']);
      const allowed = Object.keys((parent['properties'] as Schema | undefined) ?? {});
      const near = didYouMean(field, allowed);
      const m: Mapped = {
        code: 'E_UNKNOWN_FIELD',
        message: `${where}: unknown field '${field}'`,
        path: [...path, field],
        useKey: true,
      };
      m.hint = near ? `did you mean '${near}'?` : `allowed: ${allowed.join(', ')}`;
      return m;
    }
    case 'type': {
      const m: Mapped = {
        code: 'E_SCHEMA_TYPE',
        message: `${where} must be ${String(params['type'])} ${got(path, e.data, true)}`,
        path,
      };
      const secs = typeof e.data === 'string' ? parseDuration(e.data) : undefined;
      if (params['type'] === 'integer' && secs !== undefined) {
        m.hint = `a number of ${/Delay$/.test(String(path.at(-1))) ? 'milliseconds' : 'seconds'}, e.g. ${
          /Delay$/.test(String(path.at(-1))) ? secs : Math.round(secs / 1000)
        }`;
      }
      return m;
    }
    case 'enum':
    case 'const': {
      const allowed = (
        e.keyword === 'enum' ? (params['allowedValues'] as unknown[]) : [params['allowedValue']]
      ).map(String);
      const near = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      const m: Mapped = {
        code: 'E_SCHEMA_ENUM',
        message: `${where} must be one of ${allowed.join(', ')} ${got(path, e.data, false)}`,
        path,
      };
      if (near) m.hint = `did you mean '${near}'?`;
      return m;
    }
    case 'pattern': {
      const pattern = String(params['pattern']);
      if (pattern === DURATION_PATTERN) {
        return {
          code: 'E_DURATION',
          message: `${where}: ${subject(path, e.data)} is not a duration`,
          path,
          hint: 'e.g. 90m, 1h30m, 45s, 2d',
        };
      }
      if (pattern === AGENT_NAME_PATTERN) {
        return {
          code: 'E_SCHEMA_FORMAT',
          message: `${where}: ${subject(path, e.data)} is not an agent name (letters, digits, '.', '_', '-'; starting with a letter or digit)`,
          path,
        };
      }
      if (pattern === ENV_NAME_PATTERN) {
        return {
          code: 'E_SECRET_REF',
          message: `${where}: ${subject(path, e.data)} is not an environment variable name ([A-Z_][A-Z0-9_]*)`,
          path,
        };
      }
      return {
        code: 'E_SCHEMA_FORMAT',
        message: `${where}: ${subject(path, e.data)} does not match ${pattern}`,
        path,
      };
    }
    case 'format':
      return {
        code: 'E_SCHEMA_FORMAT',
        message: `${where} must be a ${String(params['format'])}`,
        path,
      };
    case 'if':
      return undefined; // its `then` branch reports the actual problem
    default:
      break;
  }
  if (RANGE.has(e.keyword)) {
    if (e.keyword === 'maxProperties' && e.schemaPath.includes('/dependentSchemas/')) {
      const key = e.schemaPath.split('/dependentSchemas/')[1]?.split('/')[0] ?? '';
      // Point at a field given alongside `key` (the conflict), not at the enclosing object.
      const other = Object.keys((e.data as Record<string, unknown> | null) ?? {}).find(
        (k) => k !== key,
      );
      return {
        code: 'E_SCHEMA_ONE_OF',
        message: `${where}: '${key}' cannot be combined with other fields`,
        path: other !== undefined ? [...path, other] : path,
        useKey: other !== undefined,
      };
    }
    return {
      code: 'E_SCHEMA_RANGE',
      message: `${where} ${e.message ?? 'is out of range'} ${got(path, e.data, false)}`,
      path,
    };
  }
  return { code: 'E_SCHEMA_TYPE', message: `${where} ${e.message ?? 'is invalid'}`, path };
}

/** Collapses unions outermost first, then maps what is left, one diagnostic per distinct problem. */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  file: string,
  locate: Locator,
): Diagnostic[] {
  let pending = [...errors];
  const mapped: Mapped[] = [];
  for (;;) {
    const unions = pending
      .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
      .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
    const u = unions[0];
    if (!u) break;
    const { mapped: m, keep } = mapUnion(u, pending);
    pending = [...pending.filter((x) => x !== u && !within(x, u)), ...keep];
    if (m) mapped.push(m);
  }
  for (const e of pending) {
    const m = mapOne(e);
    if (m) mapped.push(m);
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const m of mapped) {
    const pos = locate(m.path, m.useKey ?? false);
    const key = `${m.code}|${pos.line}|${pos.col}|${m.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      diagnostic(m.code, m.message, { file, ...pos }, { path: dottedPath(m.path), hint: m.hint }),
    );
  }
  return out;
}
