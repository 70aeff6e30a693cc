import { describe, expect, it } from 'vitest';
import { fsErrorDiagnostic } from '../../../src/spec/read-files.ts';

// EACCES cannot be provoked as root, so the mapping of each errno is tested on the error objects
// Node produces (same shape: an Error with a `code`).
function errno(code: string): Error {
  return Object.assign(new Error(`${code}: boom, open '/secret/path'`), { code });
}

describe('fsErrorDiagnostic', () => {
  it.each([
    ['EACCES', 'E_UNREADABLE', 'permission denied'],
    ['EPERM', 'E_UNREADABLE', 'permission denied'],
    ['ELOOP', 'E_SYMLINK_LOOP', 'symlink loop'],
    ['ENOENT', 'E_NOT_FOUND', 'no such file'],
    ['EISDIR', 'E_NOT_A_FILE', 'is a directory'],
    ['EIO', 'E_UNREADABLE', 'EIO'],
  ])('%s -> %s', (code, expected, says) => {
    const d = fsErrorDiagnostic(errno(code), 'rooms/a.yaml', 'cannot read');
    expect(d.code).toBe(expected);
    expect(d.message).toContain(says);
    expect(d.message).not.toContain('/secret/path');
  });
});
