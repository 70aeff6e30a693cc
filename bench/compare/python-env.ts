/**
 * The Python peers' virtualenv in .bench/venv (git-ignored): python3 -m venv, then pip installs
 * the pinned packages from PyPI. Made once; reused while the pins are the same.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the seed's control plane ran on. */
export const PYTHON_PACKAGES = ['livekit-api==1.2.2', 'flask==3.1.3', 'gunicorn==27.0.1'];

export interface PythonEnv {
  python: string;
  gunicorn: string;
}

export async function ensurePythonEnv(root: string): Promise<PythonEnv> {
  const venv = join(root, '.bench', 'venv');
  const bin = join(venv, 'bin');
  const marker = join(venv, '.installed');
  const wanted = PYTHON_PACKAGES.join('\n');
  const env = { python: join(bin, 'python'), gunicorn: join(bin, 'gunicorn') };
  if (existsSync(marker) && (await import('node:fs')).readFileSync(marker, 'utf8') === wanted) {
    return env;
  }
  console.error(`making ${venv} (${PYTHON_PACKAGES.join(', ')})`);
  await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  await run(env.python, ['-m', 'pip', 'install', '--quiet', ...PYTHON_PACKAGES], {
    timeout: 600_000,
  });
  await writeFile(marker, wanted);
  return env;
}
