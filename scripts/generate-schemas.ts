// Writes schemas/*.json from the typebox definitions. Run: node scripts/generate-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { buildSchemaFiles, serializeSchema } from '../src/spec/json-schemas.ts';

const dir = new URL('../schemas/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(buildSchemaFiles())) {
  const file = fileURLToPath(new URL(name, dir));
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await serializeSchema(schema, (t) =>
    prettier.format(t, { ...options, filepath: file }),
  );
  writeFileSync(file, text);
  console.log(`schemas/${name}`);
}
