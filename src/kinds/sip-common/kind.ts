/**
 * What one persistent kind (Ingress, SIP trunks, dispatch rules) supplies to the shared planner,
 * settle pass and executor: how to read its live objects, which declared fields compare, and the
 * calls that create, update and delete it.
 */
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { JsonValue, SourceLocation } from '../../core/plan.ts';
import type { Json } from './secrets.ts';

export type Fields = { [key: string]: JsonValue };

/** Plan-time facts a kind's field mapping may need: trunk spec name → server id (owned trunks). */
export interface DeclareContext {
  inboundTrunkIds: ReadonlyMap<string, string>;
  /** The state's lineage: carried in the ownership marker and the pending-marker match. */
  lineage?: string;
}

/** One declared object, ready to diff. */
export interface DesiredPersistent {
  name: string;
  /** The spec with secret references (never values). */
  spec: Json;
  /** Directory of the spec file (`fromFile` secrets are relative to it). */
  baseDir: string;
  source: SourceLocation;
  /** The declared, comparable fields, normalised (secrets left out). */
  fields: Fields;
  /** Hash of the resolved secrets; undefined when none are declared or one cannot be read now. */
  secretHash?: string;
  /** Dot paths of secret references in the spec. */
  secretPaths: string[];
  /** Declared fields the adapter cannot send yet (warned about, never compared). */
  unsupported: string[];
  /** Extra strings recorded in the pending marker to recognise a lost create. */
  match: Record<string, string>;
}

export interface PersistentKind<Live> {
  kind: string;
  /** Address prefix: `ingress`, `sip-inbound`, `sip-outbound`, `sip-dispatch`. */
  prefix: string;
  id: (live: Live) => string;
  name: (live: Live) => string;
  /** The comparable fields the user wrote, normalised. */
  declared: (spec: Json, ctx: DeclareContext) => Fields;
  /** Every comparable field read from a live object (no secret). */
  observed: (live: Live) => Fields;
  /** Server outputs shown in `before` but never compared (the ingress URL; never its key). */
  outputs?: (live: Live) => Fields;
  /** Fields that cannot change in place: a difference means delete + create. */
  immutable: readonly string[];
  /** Spec fields the port cannot send yet. */
  unsupported: readonly string[];
  /** Strings that identify our object after a lost create (besides the name). */
  matchKey: (spec: Json) => Record<string, string>;
  /** Whether a live object of the right name is the result of a create with this match key. */
  adoptable: (live: Live, match: Record<string, string>) => boolean;
  list: (port: LiveKitPort) => Promise<Live[]>;
  /** `spec` has its secrets resolved; `payload` is the change's payload (trunk ids for rules). */
  create: (name: string, spec: Json, payload: Json, port: LiveKitPort) => Promise<Live>;
  update: (id: string, name: string, spec: Json, payload: Json, port: LiveKitPort) => Promise<Live>;
  remove: (id: string, port: LiveKitPort) => Promise<void>;
}

export function addressOf(prefix: string, name: string): string {
  return `${prefix}.${name}`;
}

/** Helpers for the kinds' field mappings. */
export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function bool(v: JsonValue | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function strings(v: JsonValue | undefined): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

export function sorted(v: readonly string[]): string[] {
  return [...v].sort();
}

export function stringMap(v: JsonValue | undefined): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Copy the defined entries only (exactOptionalPropertyTypes). */
export function defined(fields: { [key: string]: JsonValue | undefined }): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
