import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.ts';
import type { CliIO } from '../../src/cli/io.ts';

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    isTTY: false,
    stdinIsTTY: false,
    prompt: () => Promise.resolve(''),
    env: {},
    cwd: '.',
  };
  return io;
}

describe('cli/program', () => {
  it('prints the version and exits 0', async () => {
    const io = captureIO();

    const code = await run(['--version'], io);

    expect(code).toBe(0);
    expect(io.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects an unknown command with exit 1 and usage on stderr', async () => {
    const io = captureIO();

    const code = await run(['no-such-command'], io);

    expect(code).toBe(1);
    expect(io.err).toContain('Usage: livekit-gitops');
  });
});
