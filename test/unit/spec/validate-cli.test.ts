import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'lkg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const good =
  'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: lobby }\nspec: { emptyTimeout: 600 }\n';
const bad =
  'apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: lobby }\nspec:\n  maxParticipnts: 3\n';
const warn =
  'apiVersion: livekit-gitops/v1\nkind: ModerationRule\nmetadata: { name: m }\nspec:\n  rooms: { names: [nowhere] }\n';

describe('livekit-gitops validate', () => {
  it('exits 0 with a summary for valid specs', () => {
    writeFileSync(path.join(dir, 'good.yaml'), good);
    const r = cli(['validate', 'good.yaml']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('Valid: 1 spec in 1 file.\n');
  });

  it('exits 1 and prints path:line:col  CODE  message', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), bad);
    const r = cli(['validate', 'bad.yaml', 'good.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      "bad.yaml:5:3  E_UNKNOWN_FIELD  spec: unknown field 'maxParticipnts' (did you mean 'maxParticipants'?)",
    );
    expect(r.stdout).toContain('Invalid: 1 error, 0 warnings');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints only JSON on stdout with --format json', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), bad);
    const r = cli(['validate', '--format', 'json', 'bad.yaml']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      errors: { code: string; line: number; col: number }[];
      warnings: unknown[];
    };
    expect(out.valid).toBe(false);
    expect(out.errors.map((e) => [e.code, e.line, e.col])).toEqual([['E_UNKNOWN_FIELD', 5, 3]]);
    expect(out.warnings).toEqual([]);
  });

  it('passes warnings unless --strict', () => {
    writeFileSync(path.join(dir, 'warn.yaml'), warn);
    expect(cli(['validate', 'warn.yaml']).code).toBe(0);
    const strict = cli(['validate', '--strict', 'warn.yaml']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('W_SELECTOR_MATCHES_NOTHING');
  });

  it('reports a binary file without a stack trace', () => {
    writeFileSync(path.join(dir, 'junk.yaml'), Buffer.from([0, 1, 2, 255, 254]));
    const r = cli(['validate', 'junk.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('junk.yaml:1:1  E_BINARY');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at |Internal error/);
  });

  it('uses specPaths from the config file and reports config errors', () => {
    writeFileSync(path.join(dir, 'livekit-gitops.yaml'), 'specPaths: [good.yaml]\nconcurency: 4\n');
    const r = cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "livekit-gitops.yaml:2:1  E_UNKNOWN_FIELD  document: unknown field 'concurency' (did you mean 'concurrency'?)",
    );
    rmSync(path.join(dir, 'livekit-gitops.yaml'));
  });
});
