/** The commands each contender runs as a whole process, and the workspaces they run in. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from './processes.ts';
import type { PythonEnv } from './python-env.ts';

export interface Server {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export const ROOT = new URL('../../', import.meta.url).pathname;
const PEERS = join(ROOT, 'bench', 'peers');

export function serverEnv(lk: Server): Record<string, string> {
  return { LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret };
}

/** `bin`: the installed entry point on the build (as users run it); `src`: the sources. */
export type CliFlavour = 'bin' | 'src';

export function cli(flavour: CliFlavour, args: string[], cwd: string, lk?: Server): Command {
  const entry = flavour === 'bin' ? 'bin/livekit-gitops.js' : 'src/cli/main.ts';
  return {
    cmd: process.execPath,
    args: [join(ROOT, entry), ...args],
    cwd,
    ...(lk ? { env: serverEnv(lk) } : {}),
  };
}

export function pythonCreateRooms(py: PythonEnv, n: number, c: number, lk: Server): Command {
  const script = join(PEERS, 'create_rooms.py');
  return { cmd: py.python, args: [script, String(n), String(c)], env: serverEnv(lk) };
}

export function pythonListRooms(py: PythonEnv, expected: number, lk: Server): Command {
  const script = join(PEERS, 'list_rooms.py');
  return { cmd: py.python, args: [script, String(expected)], env: serverEnv(lk) };
}

export function nodeCreateRooms(n: number, c: number, lk: Server): Command {
  const script = join(PEERS, 'create-rooms.ts');
  return { cmd: process.execPath, args: [script, String(n), String(c)], env: serverEnv(lk) };
}

/** N Room specs in files of 50, as a repository would hold them. */
export async function roomsWorkspace(n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-compare-'));
  await mkdir(join(dir, 'rooms'));
  for (let f = 0; f * 50 < n; f++) {
    const docs: string[] = [];
    for (let i = f * 50; i < Math.min(n, (f + 1) * 50); i++) {
      docs.push(
        `apiVersion: livekit-gitops/v1\nkind: Room\nmetadata: { name: room-${i} }\nspec: { emptyTimeout: 3600 }\n`,
      );
    }
    await writeFile(join(dir, 'rooms', `r${f}.yaml`), docs.join('---\n'));
  }
  return dir;
}
