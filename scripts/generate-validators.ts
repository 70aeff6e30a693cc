// Writes src/spec/generated/validators.{js,d.ts} (ajv standalone code); with --dist, also the
// copy the built CLI loads (tsc does not copy .js files). Run by `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_VALIDATORS, generateValidatorsModule } from '../src/spec/validator-code.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { js, dts } = generateValidatorsModule();
const targets = [GENERATED_VALIDATORS];
if (process.argv.includes('--dist')) targets.push(GENERATED_VALIDATORS.replace(/^src\//, 'dist/'));
for (const target of targets) {
  const file = `${root}${target}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, js);
  writeFileSync(file.replace(/\.js$/, '.d.ts'), dts);
  console.log(target);
}
