/**
 * Problems found in specs and config, as data. Validation never throws: every stage returns these,
 * and only the CLI prints them. The codes are a closed set, documented in docs/diagnostics.md.
 */

export type DiagnosticCode =
  // reading files
  | 'E_NOT_FOUND'
  | 'E_NOT_A_FILE'
  | 'E_UNREADABLE'
  | 'E_SYMLINK_LOOP'
  | 'E_FILE_TOO_LARGE'
  | 'E_BINARY'
  | 'E_ENCODING'
  | 'W_EMPTY_FILE'
  | 'W_NO_SPECS'
  // parsing YAML
  | 'E_YAML_SYNTAX'
  | 'E_DUPLICATE_KEY'
  | 'E_TAB'
  | 'E_ALIAS_LIMIT'
  | 'E_TOO_DEEP'
  // the document envelope
  | 'E_UNKNOWN_API_VERSION'
  | 'E_UNKNOWN_KIND'
  // schema
  | 'E_SCHEMA_TYPE'
  | 'E_SCHEMA_RANGE'
  | 'E_SCHEMA_ENUM'
  | 'E_SCHEMA_FORMAT'
  | 'E_SCHEMA_ONE_OF'
  | 'E_UNKNOWN_FIELD'
  | 'E_MISSING_FIELD'
  // semantic rules
  | 'E_DUPLICATE_NAME'
  | 'E_UNKNOWN_REF'
  | 'W_SELECTOR_MATCHES_NOTHING'
  | 'E_CRON'
  | 'E_TIMEZONE'
  | 'E_DURATION'
  | 'E_SECRET_REF'
  // targets and overlays
  | 'E_UNKNOWN_TARGET'
  | 'E_SHARED_STATE';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** As given to the loader (absolute or relative); renderers make it relative to cwd. */
  file: string;
  /** 1-based; 0 when the problem has no position in the file (e.g. unreadable). */
  line: number;
  col: number;
  /** Dotted path inside the document, e.g. `spec.maxParticipants`. */
  path?: string;
  hint?: string;
}

export function severityOf(code: DiagnosticCode): Severity {
  return code.startsWith('W_') ? 'warning' : 'error';
}

export interface Position {
  file: string;
  line: number;
  col: number;
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  at: Position,
  extra: { path?: string | undefined; hint?: string | undefined } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: severityOf(code), message, ...at };
  if (extra.path !== undefined && extra.path !== '') d.path = extra.path;
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first, then warnings; each by file, line, column, code. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      compareText(a.code, b.code),
  );
}

/**
 * `file:line:col  CODE  message (hint)`. `relativize` turns the stored file name into what the
 * user should see (the CLI passes a cwd-relative mapping; core stays free of `node:path`).
 */
export function formatDiagnostic(
  d: Diagnostic,
  relativize: (file: string) => string = (f) => f,
): string {
  const where = d.line > 0 ? `${relativize(d.file)}:${d.line}:${d.col}` : relativize(d.file);
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}  ${d.code}  ${d.message}${hint}`;
}

export function hasErrors(list: readonly Diagnostic[], strict = false): boolean {
  return list.some((d) => d.severity === 'error' || strict);
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      prev[j] = Math.min(above + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = above;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest allowed name, if it is close enough to be a likely typo. */
export function didYouMean(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}
