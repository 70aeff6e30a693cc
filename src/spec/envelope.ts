/** The document envelope, checked before the kind's schema so its errors are specific. */
import { diagnostic, didYouMean, type Diagnostic } from '../core/diagnostics.ts';
import { isKind, KINDS, type Kind } from './kind-names.ts';
import type { Locator } from './positions.ts';
import { API_VERSION } from './spec-constants.ts';

export function checkEnvelope(
  value: unknown,
  file: string,
  locate: Locator,
): { kind: Kind } | { diagnostics: Diagnostic[] } {
  const here = (path: string[], useKey = false): { file: string; line: number; col: number } => ({
    file,
    ...locate(path, useKey),
  });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      diagnostics: [
        diagnostic(
          'E_SCHEMA_TYPE',
          'a spec document must be a mapping with apiVersion, kind, metadata and spec',
          here([]),
        ),
      ],
    };
  }
  const doc = value as Record<string, unknown>;
  const out: Diagnostic[] = [];
  if (!('apiVersion' in doc)) {
    out.push(
      diagnostic('E_MISSING_FIELD', "missing required field 'apiVersion'", here([]), {
        hint: `apiVersion: ${API_VERSION}`,
      }),
    );
  } else if (doc['apiVersion'] !== API_VERSION) {
    out.push(
      diagnostic(
        'E_UNKNOWN_API_VERSION',
        `unknown apiVersion ${JSON.stringify(doc['apiVersion'])}`,
        here(['apiVersion']),
        {
          path: 'apiVersion',
          hint: `the only version is ${API_VERSION}`,
        },
      ),
    );
  }
  const kind = doc['kind'];
  if (!('kind' in doc)) {
    out.push(
      diagnostic('E_MISSING_FIELD', "missing required field 'kind'", here([]), {
        hint: `one of ${KINDS.join(', ')}`,
      }),
    );
  } else if (!isKind(kind)) {
    const near = typeof kind === 'string' ? didYouMean(kind, KINDS) : undefined;
    out.push(
      diagnostic('E_UNKNOWN_KIND', `unknown kind ${JSON.stringify(kind)}`, here(['kind']), {
        path: 'kind',
        hint: near ? `did you mean '${near}'?` : `one of ${KINDS.join(', ')}`,
      }),
    );
  }
  if (out.length > 0 || !isKind(kind)) return { diagnostics: out };
  return { kind };
}
