/**
 * The SIP header and media-encryption fields both trunk kinds share: declared (normalised),
 * observed and sent. Maps compare as canonical JSON (key order does not matter).
 */
import type { LiveSipHeaders, SipIncludeHeaders, SipMediaEncryption } from '../../core/live.ts';
import { parseDuration } from '../../spec/duration.ts';
import type { JsonValue } from '../../core/plan.ts';
import { str, stringMap, type Fields } from './kind.ts';
import type { Json } from './secrets.ts';

const INCLUDE: readonly SipIncludeHeaders[] = ['none', 'x-headers', 'all'];
const ENCRYPTION: readonly SipMediaEncryption[] = ['disable', 'allow', 'require'];

export function includeHeadersOf(v: JsonValue | undefined): SipIncludeHeaders | undefined {
  return INCLUDE.find((x) => x === v);
}

export function mediaEncryptionOf(v: JsonValue | undefined): SipMediaEncryption | undefined {
  return ENCRYPTION.find((x) => x === v);
}

/** A spec duration (`30s`, `2h`) in milliseconds. */
export function durationOf(v: JsonValue | undefined): number | undefined {
  const s = str(v);
  return s === undefined ? undefined : parseDuration(s);
}

export interface HeaderInputFields {
  headers?: Record<string, string>;
  headersToAttributes?: Record<string, string>;
  attributesToHeaders?: Record<string, string>;
  includeHeaders?: SipIncludeHeaders;
  mediaEncryption?: SipMediaEncryption;
}

/** The declared header fields, as the port input takes them (only those the spec writes). */
export function headerInput(spec: Json): HeaderInputFields {
  const out: HeaderInputFields = {};
  const headers = stringMap(spec['headers']);
  if (headers !== undefined) out.headers = headers;
  const h2a = stringMap(spec['headersToAttributes']);
  if (h2a !== undefined) out.headersToAttributes = h2a;
  const a2h = stringMap(spec['attributesToHeaders']);
  if (a2h !== undefined) out.attributesToHeaders = a2h;
  const include = includeHeadersOf(spec['includeHeaders']);
  if (include !== undefined) out.includeHeaders = include;
  const encryption = mediaEncryptionOf(spec['mediaEncryption']);
  if (encryption !== undefined) out.mediaEncryption = encryption;
  return out;
}

/** The same fields as comparable plan fields. */
export function declaredHeaders(spec: Json): Fields {
  return { ...headerInput(spec) };
}

export function observedHeaders(l: LiveSipHeaders): Fields {
  return {
    headers: l.headers,
    headersToAttributes: l.headersToAttributes,
    attributesToHeaders: l.attributesToHeaders,
    includeHeaders: l.includeHeaders,
    mediaEncryption: l.mediaEncryption,
  };
}
