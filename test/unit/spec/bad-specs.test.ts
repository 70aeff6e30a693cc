import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  openSync,
  ftruncateSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpecs } from '../../../src/spec/load.ts';
import type { Diagnostic } from '../../../src/core/diagnostics.ts';
import { BAD_CASES } from '../../fixtures/bad-specs/cases.ts';

const roots: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lkg-bad-'));
  roots.push(dir);
  return dir;
}
afterAll(() => {
  for (const r of roots) {
    try {
      chmodSync(path.join(r, 'locked.yaml'), 0o644);
    } catch {
      // only the permissions case has this file
    }
    rmSync(r, { recursive: true, force: true });
  }
});

function noStackTraces(diags: readonly Diagnostic[]): void {
  for (const d of diags) {
    expect(d.message).not.toMatch(/\n\s+at /);
    expect(d.message).not.toMatch(/node_modules|\.ts:\d+/);
  }
}

describe('bad-specs corpus', () => {
  it('has at least 40 cases', () => {
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = tempDir();
    for (const [name, content] of Object.entries(c.files))
      writeFileSync(path.join(dir, name), content);

    const result = await loadSpecs(['.'], { cwd: dir });

    const first = result.diagnostics[0];
    expect(first, JSON.stringify(result.diagnostics)).toBeDefined();
    expect({ code: first?.code, file: first?.file, line: first?.line, col: first?.col }).toEqual({
      code: c.code,
      file: c.file,
      line: c.line,
      col: c.col,
    });
    if (c.says) expect(`${first?.message} ${first?.hint ?? ''}`).toContain(c.says);
    noStackTraces(result.diagnostics);
  });
});

describe('bad files on the filesystem', () => {
  it('refuses a 50 MB file without parsing it', async () => {
    const dir = tempDir();
    const fd = openSync(path.join(dir, 'huge.yaml'), 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const before = process.memoryUsage().rss;

    const result = await loadSpecs(['.'], { cwd: dir });

    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['E_FILE_TOO_LARGE', 'huge.yaml'],
    ]);
    // Not read whole: memory grows far less than the file's size.
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('reports a directory named x.yaml', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'x.yaml'));
    const result = await loadSpecs(['.'], { cwd: dir });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([['E_NOT_A_FILE', 'x.yaml']]);
  });

  it('reports a symlink loop', async () => {
    const dir = tempDir();
    symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
    symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
    const result = await loadSpecs(['.'], { cwd: dir });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['E_SYMLINK_LOOP', 'a.yaml'],
      ['E_SYMLINK_LOOP', 'b.yaml'],
    ]);
  });

  it('walks a directory symlink cycle once', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('..', path.join(dir, 'sub', 'up'));
    writeFileSync(
      path.join(dir, 'sub', 'r.yaml'),
      'apiVersion: livekit-gitops/v1\nkind: Role\nmetadata: { name: r }\nspec: { grants: {} }\n',
    );
    const result = await loadSpecs(['.'], { cwd: dir });
    expect(result.diagnostics).toEqual([]);
    expect(result.specs.map((s) => s.name)).toEqual(['r']);
  });

  it('reports a dangling symlink and a missing path', async () => {
    const dir = tempDir();
    symlinkSync('gone.yaml', path.join(dir, 'a.yaml'));
    const result = await loadSpecs(['.', 'missing'], { cwd: dir });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['E_NOT_FOUND', 'a.yaml'],
      ['E_NOT_FOUND', 'missing'],
    ]);
  });

  it('never opens a FIFO named like a spec', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const result = await loadSpecs(['.'], { cwd: dir });
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['E_NOT_A_FILE', 'pipe.yaml'],
    ]);
  });

  it('reports an unreadable file (root reads it anyway, which is asserted as such)', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'locked.yaml'),
      'apiVersion: livekit-gitops/v1\nkind: Role\nmetadata: { name: r }\nspec: { grants: {} }\n',
    );
    chmodSync(path.join(dir, 'locked.yaml'), 0o000);

    const result = await loadSpecs(['.'], { cwd: dir });

    if (process.getuid?.() === 0) {
      // root bypasses file permissions: the file is simply read.
      expect(result.diagnostics).toEqual([]);
      expect(result.specs.map((s) => s.name)).toEqual(['r']);
    } else {
      expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
        ['E_UNREADABLE', 'locked.yaml'],
      ]);
    }
  });
});
