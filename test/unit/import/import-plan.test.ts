import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderKindFile, schemaRef, writeImportFiles } from '../../../src/cli/import-files.ts';
import { buildImport } from '../../../src/app/import-plan.ts';
import type {
  LiveIngress,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
} from '../../../src/core/live.ts';
import { parseKinds } from '../../../src/cli/commands/import.ts';

function trunk(name: string, id: string, over: Partial<LiveSipInboundTrunk> = {}) {
  // A cast: the live types are gaining header fields, which these tests do not need.
  return {
    sipTrunkId: id,
    name,
    metadata: '',
    numbers: [],
    allowedAddresses: [],
    allowedNumbers: [],
    authUsername: '',
    authPassword: '',
    krispEnabled: false,
    ...over,
  } as LiveSipInboundTrunk;
}

const env = {};

describe('buildImport', () => {
  it('skips invalid and duplicate names of the named kinds with a reason', () => {
    const set = buildImport(
      {
        sipInbound: [
          trunk('bad name!', 'A'),
          trunk('twin', 'B'),
          trunk('twin', 'C'),
          trunk('ok', 'D'),
        ],
      },
      { env },
    );
    expect(set.docs.map((d) => d.name)).toEqual(['ok']);
    expect(set.skipped.map((s) => s.name).sort()).toEqual(['bad name!', 'twin', 'twin']);
    expect(set.skipped.find((s) => s.name === 'bad name!')?.reason).toMatch(
      /not a valid spec name/,
    );
    expect(set.skipped.find((s) => s.name === 'twin')?.reason).toMatch(/2 objects share/);
  });

  it('gives two secrets of the same env name distinct placeholders', () => {
    const set = buildImport(
      {
        sipInbound: [
          trunk('a-b', 'A', { authPassword: 'x' }),
          trunk('a_b', 'B', { authPassword: 'y' }),
        ],
      },
      { env },
    );
    expect(set.docs.flatMap((d) => d.env)).toEqual(['SIP_A_B_PASSWORD', 'SIP_A_B_PASSWORD_2']);
    expect(set.docs.every((d) => d.secretHash !== undefined)).toBe(true);
  });

  it('skips a dispatch rule whose trunk was not imported, and an ingress without a room', () => {
    const ingress = {
      ingressId: 'I',
      name: 'enc',
      inputType: 'whip',
      roomName: '',
      participantIdentity: 'x',
      participantName: '',
      participantMetadata: '',
      enableTranscoding: false,
      url: 'http://x',
      streamKey: 'k',
      enabled: true,
    } as LiveIngress;
    const set = buildImport(
      {
        ingress: [ingress],
        sipInbound: [],
        sipDispatch: [
          {
            sipDispatchRuleId: 'R',
            name: 'rule',
            metadata: '',
            trunkIds: ['ST_gone'],
            hidePhoneNumber: false,
            attributes: {},
            rule: { type: 'individual', roomPrefix: 'call-', pin: '' },
          } as LiveSipDispatchRule,
        ],
      },
      { env },
    );
    expect(set.docs).toEqual([]);
    expect(set.skipped.map((s) => `${s.kind} ${s.name}`)).toEqual([
      'Ingress enc',
      'SIPDispatchRule rule',
    ]);
  });

  it('filters by name globs', () => {
    const set = buildImport(
      { sipInbound: [trunk('prod-a', 'A'), trunk('dev-a', 'B')] },
      { env, match: ['prod-*'] },
    );
    expect(set.docs.map((d) => d.name)).toEqual(['prod-a']);
  });
});

describe('import files', () => {
  it('refers to the schema only inside a project that has it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkg-import-'));
    try {
      expect(schemaRef('imported', dir)).toBeUndefined();
      await mkdir(join(dir, 'schemas'));
      await writeFile(join(dir, 'schemas', 'spec.json'), '{}');
      expect(schemaRef('imported', dir)).toBe('../schemas/spec.json');
      expect(schemaRef('a/b', dir)).toBe('../../schemas/spec.json');
      expect(schemaRef(join(tmpdir(), 'elsewhere'), dir)).toBeUndefined();
      const text = renderKindFile([], '../schemas/spec.json');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/spec.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite an existing file unless forced, writing none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lkg-import-'));
    try {
      await mkdir(join(dir, 'out'));
      await writeFile(join(dir, 'out', 'room.yaml'), 'mine\n');
      const files = [
        { file: 'out/ingress.yaml', kind: 'Ingress' as const, text: 'a\n' },
        { file: 'out/room.yaml', kind: 'Room' as const, text: 'b\n' },
      ];
      await expect(writeImportFiles(files, dir, false)).rejects.toThrow(
        /refusing to overwrite out\/room.yaml/,
      );
      await expect(
        import('node:fs/promises').then((fs) => fs.readFile(join(dir, 'out', 'ingress.yaml'))),
      ).rejects.toThrow();
      await writeImportFiles(files, dir, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseKinds', () => {
  it('accepts kind names and kebab forms, rejects others', () => {
    expect(parseKinds('room, sip-inbound-trunk,SIPDispatchRule')).toEqual([
      'Room',
      'SIPInboundTrunk',
      'SIPDispatchRule',
    ]);
    expect(() => parseKinds('Egress')).toThrow(/unknown kind/);
  });
});
