/**
 * What every git source test file starts from: the daemon test bed, the daemons and git remotes
 * it started (stopped and removed after each test, in reverse order), and reads it repeats.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { DaemonChild } from './daemon-process.ts';
import { daemonTestBed, stopDaemons, type DaemonTestBed } from './test-bed.ts';

export interface GitTestBed extends DaemonTestBed {
  /** Daemons to stop after the test. */
  running: DaemonChild[];
  /** Something to undo after the test (a git remote, a server). */
  later: (undo: () => Promise<void>) => void;
  /** The room's metadata on the server; undefined when it does not exist. */
  metadataOf: (room: string) => Promise<string | undefined>;
}

export function gitTestBed(): GitTestBed {
  const bed = daemonTestBed();
  const running: DaemonChild[] = [];
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await stopDaemons(running);
    for (const u of undo.splice(0).reverse()) await u();
  });
  afterAll(async () => {
    await bed.deleteTaggedRooms();
  });
  return {
    ...bed,
    running,
    later: (u) => void undo.push(u),
    metadataOf: async (room) => (await bed.port.listRooms([room]))[0]?.metadata,
  };
}

/** Every status file's text, to check that no credential reached any of them. */
export async function statusTexts(ws: string): Promise<string[]> {
  const dir = join(ws, 'status');
  return Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
}
