/**
 * Fault row "two applies at once (file and Redis state)" (docs/reliability.md). A run holds the
 * state lock as an apply does mid-apply (a separate process, test/contract/lock-holder-child.ts,
 * so the overlap is certain rather than a race): an `apply` without a lock timeout exits 4 naming
 * the holder and changes nothing, and one with a timeout waits. The holder is then SIGKILLed
 * (file: its process is gone, so the lock is taken at once; Redis: after its TTL) and the waiting
 * apply proceeds. Afterwards the state is intact: every room owned once with the server's sid,
 * nothing pending, the lock free, and a plan finds nothing to do.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateConfig } from '../../../src/adapters/state/open-backend.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { createWorkspace, type BackendKind, type Workspace } from '../plan-apply/workspace.ts';
import { recordFigures } from './figures.ts';

const COUNT = 30;
const HOLDER = fileURLToPath(new URL('../../contract/lock-holder-child.ts', import.meta.url));

/** Starts a process that takes the state lock (operation apply) and holds it until killed. */
async function holdLock(config: StateConfig, cwd: string) {
  const proc = spawn(process.execPath, [HOLDER, JSON.stringify({ config, cwd, mode: 'hold' })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holder never locked: ${out}`)), 60_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LOCKED ')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return proc;
}

describe.each<BackendKind>(['file', 'redis'])('fault: two applies at once (%s state)', (kind) => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.cleanup();
  });

  it(
    'one exits 4 naming the holder, one waits and proceeds; the state stays intact',
    { timeout: 180_000 },
    async () => {
      const w = (ws = await createWorkspace(kind));
      const specs: Record<string, Record<string, unknown>> = {};
      for (let i = 0; i < COUNT; i++)
        specs[`r${String(i).padStart(2, '0')}`] = { emptyTimeout: 600 };
      await w.writeRooms(specs);
      const config: StateConfig =
        kind === 'file'
          ? { backend: 'file', dir: join(w.dir, '.livekit-gitops') }
          : {
              backend: 'redis',
              redis: { address: liveKitEnv().redisAddress, keyPrefix: `${w.prefix}state:` },
            };
      const holder = await holdLock(config, w.dir);
      const holderGone = new Promise((r) => holder.once('exit', r));

      const refused = await w.cli(['apply', '--auto-approve', '--lock-timeout', '0s']);
      const waiting = w.cli(['apply', '--auto-approve', '--lock-timeout', '60s']);
      // Let the waiting apply reach the lock, then the holder dies mid-run.
      await new Promise((r) => setTimeout(r, 2_000));
      const killedAt = Date.now();
      holder.kill('SIGKILL');
      await holderGone;
      const waited = await waiting;
      const convergedMs = Date.now() - killedAt;

      expect(refused.code, refused.stderr).toBe(4);
      expect(refused.stderr).toMatch(/locked by another run/);
      expect(refused.stderr).toMatch(/Held by: child@test/);
      expect(refused.stderr).toMatch(/Operation: apply/);
      expect(waited.code, waited.stderr).toBe(0);
      expect((await w.cli(['plan', '--detailed-exitcode'])).code).toBe(0);

      const backend = w.state();
      try {
        const state = await backend.read();
        const owned = Object.values(state.owned).filter((o) => o.name.startsWith(w.prefix));
        const live = await w.liveRooms();
        const sids = new Map(live.map((r) => [r.name, r.sid]));
        expect(live).toHaveLength(COUNT);
        expect(owned).toHaveLength(COUNT);
        for (const o of owned) expect(o.serverId).toBe(sids.get(o.name));
        expect(state.pending).toEqual({});
        expect(await backend.currentLock()).toBeUndefined();
        await recordFigures(`two applies at once (${kind} state)`, {
          lost: COUNT - live.length,
          duplicated: owned.filter((o) => o.serverId !== sids.get(o.name)).length,
          convergedMs,
          note: `apply without a timeout: exit ${refused.code} naming the holder; the waiting apply proceeded ${convergedMs} ms after the holder was SIGKILLed`,
        });
      } finally {
        await backend.close();
      }
    },
  );
});
