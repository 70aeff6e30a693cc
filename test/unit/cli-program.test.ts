import { describe, expect, it } from 'vitest';
import { invokedCommand } from '../../src/cli/commands/index.ts';
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

  it('loads only the command named on the command line', () => {
    expect(invokedCommand(['--version'])).toBeNull();
    expect(invokedCommand(['validate', 'rooms/'])).toBe('validate');
    expect(invokedCommand(['--config', 'plan', 'apply', '--auto-approve'])).toBe('apply');
    expect(invokedCommand(['--config=x.yaml', 'plan'])).toBe('plan');
    // Help and unknown names need every command (the list, the suggestion).
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['help', 'plan'])).toBeUndefined();
    expect(invokedCommand(['aply'])).toBeUndefined();
    expect(invokedCommand([])).toBeUndefined();
  });

  it('still lists every command in the help', async () => {
    const io = captureIO();

    const code = await run(['--help'], io);

    expect(code).toBe(0);
    for (const name of [
      'plan',
      'apply',
      'github',
      'state',
      'validate',
      'daemon',
      'status',
      'token',
      'import',
    ]) {
      expect(io.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('suggests a command for a misspelt name', async () => {
    const io = captureIO();

    const code = await run(['aply'], io);

    expect(code).toBe(1);
    expect(io.err).toContain('apply');
  });
});
