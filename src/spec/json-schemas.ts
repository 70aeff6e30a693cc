/** The JSON Schema files in schemas/, built from the typebox definitions (the single source). */
import { ProjectConfigSchema } from './config-schema.ts';
import { DOCUMENT_SCHEMAS } from './kinds.ts';
import { registryKinds } from './validator-code.ts';
import { kebab, SCHEMA_BASE } from './spec-constants.ts';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** A plain-JSON copy (drops anything typebox keeps off-JSON). */
function plain(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

function withDraft(schema: unknown): Record<string, unknown> {
  return { $schema: DRAFT, ...plain(schema) };
}

/** File name (under schemas/) -> schema. */
export function buildSchemaFiles(): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = {};
  const defs: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = DOCUMENT_SCHEMAS;
  const kinds = registryKinds();
  for (const kind of kinds) {
    files[`${kebab(kind)}.json`] = withDraft(schemas[kind]);
    // Embedded copies drop their $id so references resolve inside spec.json.
    const body = plain(schemas[kind]);
    delete body['$id'];
    defs[kind] = body;
  }
  // One file for editors (`# yaml-language-server: $schema=../schemas/spec.json`): one of the kinds.
  files['spec.json'] = {
    $schema: DRAFT,
    $id: `${SCHEMA_BASE}spec.json`,
    title: 'livekit-gitops spec',
    description: 'Any livekit-gitops spec document; `kind` picks the shape.',
    oneOf: kinds.map((k) => ({ $ref: `#/$defs/${k}` })),
    $defs: defs,
  };
  files['config.json'] = withDraft(ProjectConfigSchema);
  return files;
}

/** The file text, formatted as the repository's prettier would (so `prettier --check` agrees). */
export async function serializeSchema(
  schema: unknown,
  format: (text: string) => Promise<string>,
): Promise<string> {
  return format(JSON.stringify(schema, null, 2) + '\n');
}
