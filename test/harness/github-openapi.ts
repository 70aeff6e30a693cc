/**
 * GitHub's official OpenAPI description (@octokit/openapi, api.github.com) as a request/response
 * checker for the local GitHub stand-in: finds the operation by method + path template, then
 * validates path and query parameters, the JSON body and our own answers with ajv.
 * OpenAPI 3.0 schemas are JSON Schema plus `nullable`; refs point into `components`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonObject;
  'x-multi-segment'?: boolean;
}

export interface MatchedOperation {
  operationId: string;
  template: string;
  method: string;
  pathParams: Record<string, string>;
}

interface Route {
  template: string;
  method: string;
  regex: RegExp;
  names: string[];
  op: JsonObject;
  params: OpenApiParameter[];
}

const schemaId = 'github-openapi';

// ajv-formats is CommonJS with a default export; under ESM its callable sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

export class GitHubOpenApi {
  private readonly ajv: Ajv;
  private readonly routes: Route[] = [];
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly components: JsonObject;

  constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, JsonObject>>;
      components: JsonObject;
    };
    this.components = spec.components;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: schemaId, components: toJsonSchema(spec.components) });
    for (const [template, item] of Object.entries(spec.paths)) {
      const shared = (item['parameters'] ?? []) as Json[];
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || typeof op !== 'object') continue;
        const params = [...shared, ...((op['parameters'] ?? []) as Json[])].map((p) =>
          this.deref(p),
        );
        this.routes.push(
          this.route(template, method.toUpperCase(), op, params as unknown as OpenApiParameter[]),
        );
      }
    }
    // The most literal template wins (`/issues/comments/{id}` before `/issues/{number}/...`).
    this.routes.sort((a, b) => literalLength(b.template) - literalLength(a.template));
  }

  match(method: string, path: string): MatchedOperation | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      r.names.forEach((n, i) => (pathParams[n] = decodeURIComponent(m[i + 1] ?? '')));
      return {
        operationId: r.op['operationId'] as string,
        template: r.template,
        method,
        pathParams,
      };
    }
    return undefined;
  }

  /** Problems with a request, as readable lines; empty when valid. */
  checkRequest(
    op: MatchedOperation,
    query: URLSearchParams,
    body: unknown,
    hasBody: boolean,
  ): string[] {
    const route = this.routeOf(op);
    const problems: string[] = [];
    for (const p of route.params) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      const raw = p.in === 'path' ? op.pathParams[p.name] : (query.get(p.name) ?? undefined);
      if (raw === undefined) {
        if (p.required) problems.push(`missing ${p.in} parameter ${p.name}`);
        continue;
      }
      const v = this.validator(`${route.method} ${route.template} param ${p.name}`, p.schema);
      if (!v(coerce(raw, p.schema)))
        problems.push(`${p.in} parameter ${p.name}=${raw}: ${errors(v)}`);
    }
    const known = new Set(route.params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of query.keys())
      if (!known.has(name)) problems.push(`unknown query parameter ${name}`);
    const rb = route.op['requestBody'] ? this.deref(route.op['requestBody']) : undefined;
    const schema = jsonSchemaOf(rb);
    if (rb && (rb as JsonObject)['required'] === true && !hasBody)
      problems.push('missing request body');
    if (schema && hasBody) {
      const v = this.validator(`${route.method} ${route.template} body`, schema);
      if (!v(body)) problems.push(`request body: ${errors(v)}`);
    }
    if (!schema && hasBody) problems.push('request body on an operation that takes none');
    return problems;
  }

  /** Problems with one of our answers against the declared response (errors against basic-error). */
  checkResponse(op: MatchedOperation, status: number, body: unknown): string[] {
    const route = this.routeOf(op);
    const responses = (route.op['responses'] ?? {}) as JsonObject;
    const declared = responses[String(status)];
    let schema = declared !== undefined ? jsonSchemaOf(this.deref(declared)) : undefined;
    if (declared === undefined && status >= 400)
      schema = { $ref: '#/components/schemas/basic-error' };
    if (declared === undefined && status < 400)
      return [`status ${status} is not a declared response`];
    if (!schema) return body === undefined ? [] : [`status ${status} declares no body`];
    const v = this.validator(`${route.method} ${route.template} response ${status}`, schema);
    return v(body) ? [] : [`response ${status}: ${errors(v)}`];
  }

  private routeOf(op: MatchedOperation): Route {
    const r = this.routes.find((x) => x.method === op.method && x.template === op.template);
    if (!r) throw new Error(`no route ${op.method} ${op.template}`);
    return r;
  }

  private route(
    template: string,
    method: string,
    op: JsonObject,
    params: OpenApiParameter[],
  ): Route {
    const names: string[] = [];
    const source = template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        const multi = params.find((p) => p.name === name)?.['x-multi-segment'] === true;
        return multi ? '(.+)' : '([^/]+)';
      });
    return { template, method, regex: new RegExp(`^${source}$`), names, op, params };
  }

  private deref(node: Json | undefined): Json {
    let cur = node ?? null;
    for (
      let i = 0;
      i < 10 &&
      cur &&
      typeof cur === 'object' &&
      !Array.isArray(cur) &&
      typeof cur['$ref'] === 'string';
      i++
    ) {
      const parts = cur['$ref'].replace(/^#\/components\//, '').split('/');
      let next: Json = this.components;
      for (const part of parts) next = (next as JsonObject)[part] ?? null;
      cur = next;
    }
    return cur;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(toJsonSchema(schema) as object);
      this.cache.set(key, v);
    }
    return v;
  }
}

function jsonSchemaOf(node: Json | undefined): Json | undefined {
  const content = (node as JsonObject | null)?.['content'] as JsonObject | undefined;
  const media = content?.['application/json'] as JsonObject | undefined;
  return media?.['schema'];
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null alternative; refs point at our schema id. */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${schemaId}${v}`;
    else if (k !== 'nullable' || typeof v !== 'boolean') out[k] = toJsonSchema(v);
  }
  if (node['nullable'] !== true) return out;
  if (typeof out['type'] === 'string' && !('$ref' in out)) {
    out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...out['enum'], null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function coerce(raw: string, schema: JsonObject): unknown {
  const t = schema['type'];
  if ((t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (t === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function errors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
    .join('; ');
}
