/**
 * What a validation message may quote of a rejected value. A value at a secret-bearing field (a
 * password, a token, a webhook URL, an environment variable name where a secret may have been
 * pasted instead) or one that looks like a credential wherever it is, is never quoted: errors are
 * printed, logged and put into status and PR comments. The message says where it is instead.
 */
import type { PathSegment } from './positions.ts';

/** Field names whose values are, or may by mistake be, secrets. */
const SECRET_FIELD =
  /(secret|password|passwd|passphrase|token|credentials?|auth|pin|url|uri|dsn|key|env|fromfile|signature)$/i;

/** Values that are credentials whatever field holds them. */
const CREDENTIAL_VALUE = [
  /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i, // scheme://user[:password]@host
  /[?&#](access_token|token|key|secret|sig|signature|password|auth)=/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{20,}|xox[abposr]-[\w-]{10,}|sk-[A-Za-z0-9_-]{16,})/,
  /hooks\.slack\.com\/services\//i,
];

export const NOT_SHOWN = '(value not shown: it may be a secret)';

export function mayQuote(path: readonly PathSegment[], value: unknown): boolean {
  if (path.some((p) => typeof p === 'string' && SECRET_FIELD.test(p))) return false;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined || !CREDENTIAL_VALUE.some((re) => re.test(text));
}

/** The value as a message quotes it (shortened), or undefined when it must not be quoted. */
export function quoted(path: readonly PathSegment[], value: unknown): string | undefined {
  if (!mayQuote(path, value)) return undefined;
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
