import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validator } from '../../../src/spec/ajv.ts';
import { ProjectConfigSchema } from '../../../src/spec/config-schema.ts';
import { KINDS } from '../../../src/spec/kind-names.ts';
import { DOCUMENT_SCHEMAS } from '../../../src/spec/kinds.ts';
import {
  GENERATED_VALIDATORS,
  generateValidatorsModule,
} from '../../../src/spec/validator-code.ts';
import { configValidator, documentValidator } from '../../../src/spec/validators.ts';

const root = new URL('../../../', import.meta.url);

const room = (spec: unknown): unknown => ({
  apiVersion: 'livekit-gitops/v1',
  kind: 'Room',
  metadata: { name: 'a' },
  spec,
});

describe('generated validators', () => {
  it('are the committed module, byte for byte (run `node scripts/generate-validators.ts`)', () => {
    const { js, dts } = generateValidatorsModule();
    expect(readFileSync(new URL(GENERATED_VALIDATORS, root), 'utf8')).toBe(js);
    expect(readFileSync(new URL(GENERATED_VALIDATORS.replace(/js$/, 'd.ts'), root), 'utf8')).toBe(
      dts,
    );
  });

  it('report the same errors as the schemas compiled at run time', () => {
    const cases: unknown[] = [
      room({ emptyTimeout: 60, maxParticipants: 3 }),
      room({ emptyTimeout: '1h', colour: 'red' }),
      room({ metadata: 'x'.repeat(600 * 1024) }),
      { apiVersion: 'livekit-gitops/v1', kind: 'Room', metadata: { name: '😀'.repeat(256) } },
      { apiVersion: 'livekit-gitops/v1', kind: 'Room', metadata: { name: '😀'.repeat(257) } },
    ];
    const compiled = validator(DOCUMENT_SCHEMAS.Room);
    const generated = documentValidator('Room');
    for (const c of cases) {
      expect(generated(c)).toBe(compiled(c));
      expect(generated.errors?.map((e) => [e.instancePath, e.keyword, e.params])).toEqual(
        compiled.errors?.map((e) => [e.instancePath, e.keyword, e.params]),
      );
    }
  });

  it('cover every kind and the project config', () => {
    for (const kind of KINDS) expect(documentValidator(kind)({})).toBe(false);
    const cfg = { concurrency: 'many' };
    expect(configValidator(cfg)).toBe(validator(ProjectConfigSchema)(cfg));
  });
});
