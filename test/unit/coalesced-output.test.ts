import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalescedOutput } from '../../src/cli/coalesced-output.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('coalescedOutput', () => {
  it('writes many lines as one, after a short delay or on flush', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const out = coalescedOutput((t) => writes.push(t), 50);

    out.write('a\n');
    out.write('b\n');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(50);
    out.write('c\n');
    out.flush();
    out.flush();

    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes at once when the pending text grows past the limit', () => {
    const writes: string[] = [];
    const out = coalescedOutput((t) => writes.push(t), 50, 4);

    out.write('ab');
    out.write('cd');

    expect(writes).toEqual(['abcd']);
    out.flush();
    expect(writes).toEqual(['abcd']);
  });
});
