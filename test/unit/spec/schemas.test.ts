import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { validator } from '../../../src/spec/ajv.ts';
import { buildSchemaFiles, serializeSchema } from '../../../src/spec/json-schemas.ts';
import { KINDS } from '../../../src/spec/kind-names.ts';
import { DOCUMENT_SCHEMAS } from '../../../src/spec/kinds.ts';

const schemasDir = new URL('../../../schemas/', import.meta.url);

/**
 * Every object schema that lists properties must be closed; maps use patternProperties. An `if`
 * is a condition on a closed object, not a shape of its own.
 */
function openObjects(schema: unknown, at = '#'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => openObjects(s, `${at}/${i}`));
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const here = 'properties' in s && s['additionalProperties'] !== false ? [at] : [];
  return [
    ...here,
    ...Object.entries(s)
      .filter(([k]) => k !== 'if')
      .flatMap(([k, v]) => openObjects(v, `${at}/${k}`)),
  ];
}

describe('schemas/', () => {
  it('holds exactly the generated files, byte for byte (run `node scripts/generate-schemas.ts`)', async () => {
    const generated = buildSchemaFiles();
    expect(readdirSync(schemasDir).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, schema] of Object.entries(generated)) {
      const file = fileURLToPath(new URL(name, schemasDir));
      const options = (await prettier.resolveConfig(file)) ?? {};
      const expected = await serializeSchema(schema, (t) =>
        prettier.format(t, { ...options, filepath: file }),
      );
      expect(readFileSync(file, 'utf8'), name).toBe(expected);
    }
  });

  it('closes every object (unknown fields are errors)', () => {
    for (const [name, schema] of Object.entries(buildSchemaFiles())) {
      expect(openObjects(schema), name).toEqual([]);
    }
  });

  it('declares draft 2020-12 with titles and an $id', () => {
    for (const [name, schema] of Object.entries(buildSchemaFiles())) {
      expect(schema['$schema'], name).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof schema['$id'], name).toBe('string');
      expect(typeof schema['title'], name).toBe('string');
    }
  });

  it('compiles every kind with ajv strict mode', () => {
    for (const kind of KINDS) expect(typeof validator(DOCUMENT_SCHEMAS[kind])).toBe('function');
  });
});
