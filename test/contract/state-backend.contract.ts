import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateBackend, StateLock } from '../../src/adapters/state/backend.ts';
import { openStateBackend, type StateConfig } from '../../src/adapters/state/open-backend.ts';
import { LockHeldError, UsageError } from '../../src/core/errors.ts';

/** One empty place to keep state; every backend opened on it shares the same state. */
export interface StateLocation {
  config: StateConfig;
  cwd: string;
}

const CHILD = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));

interface Child {
  proc: ChildProcess;
  /** Resolves with the first stdout line starting with `prefix`. */
  line(prefix: string): Promise<string>;
  kill(): Promise<void>;
}

function spawnHolder(loc: StateLocation, mode: 'hold' | 'write-loop'): Child {
  const proc = spawn(process.execPath, [CHILD, JSON.stringify({ ...loc, mode })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return {
    proc,
    line(prefix) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = out.split('\n').find((l) => l.startsWith(prefix));
          if (hit) return resolve(hit.slice(prefix.length).trim());
          if (proc.exitCode !== null) return reject(new Error(`child exited: ${err}`));
          waiters.push(check);
        };
        proc.once('exit', () => check());
        check();
      });
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

/**
 * The behaviour every StateBackend must have. `newLocation` gives a fresh, empty location;
 * its `lockTtlMs` should be short (a few seconds) because one test waits for a lapse.
 */
export function describeStateBackendContract(
  name: string,
  newLocation: () => Promise<StateLocation>,
): void {
  describe(`StateBackend contract: ${name}`, () => {
    const opened: StateBackend[] = [];
    const locks: StateLock[] = [];
    const children: Child[] = [];

    function open(loc: StateLocation): StateBackend {
      const b = openStateBackend(loc.config, loc.cwd);
      opened.push(b);
      return b;
    }
    async function take(b: StateBackend, waitMs = 0): Promise<StateLock> {
      const l = await b.acquireLock({ operation: 'apply', who: 'tester@host' }, { waitMs });
      locks.push(l);
      return l;
    }

    afterEach(async () => {
      for (const c of children.splice(0)) await c.kill();
      for (const l of locks.splice(0)) await l.release().catch(() => undefined);
      for (const b of opened.splice(0)) await b.close();
    });

    it('creates a lineage on the first read and keeps it', async () => {
      const loc = await newLocation();
      const a = open(loc);

      const first = await a.read();
      const again = await open(loc).read();

      expect(first.serial).toBe(0);
      expect(first.lineage).toMatch(/^[0-9a-f-]{36}$/);
      expect(again.lineage).toBe(first.lineage);
      expect(first.owned).toEqual({});
    });

    it('bumps the serial on every write and update', async () => {
      const loc = await newLocation();
      const a = open(loc);
      const doc = await a.read();
      const lock = await take(a);

      const w1 = await lock.write({ ...doc, protections: {} });
      const w2 = await lock.update((d) => {
        d.owned['room.a'] = { address: 'room.a', kind: 'Room', name: 'a', since: 'now' };
      });
      const seen = await open(loc).read();

      expect([w1.serial, w2.serial]).toEqual([1, 2]);
      expect(seen.serial).toBe(2);
      expect(Object.keys(seen.owned)).toEqual(['room.a']);
      await expect(lock.write({ ...doc, lineage: 'other' })).rejects.toThrow(/lineage/);
    });

    it('loses no concurrent update (they share writes)', async () => {
      const loc = await newLocation();
      const lock = await take(open(loc));

      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          lock.update((d) => {
            d.owned[`room.r${i}`] = {
              address: `room.r${i}`,
              kind: 'Room',
              name: `r${i}`,
              since: 'x',
            };
          }),
        ),
      );
      const seen = await open(loc).read();

      expect(Object.keys(seen.owned)).toHaveLength(40);
      expect(seen.serial).toBeGreaterThanOrEqual(1);
      expect(seen.serial).toBeLessThanOrEqual(40);
      expect(Math.max(...results.map((r) => r.serial))).toBe(seen.serial);
    });

    it('never shows a torn document, even when the writer is killed mid-write', async () => {
      const loc = await newLocation();
      const reader = open(loc);
      await reader.read();
      const child = spawnHolder(loc, 'write-loop');
      children.push(child);
      await child.line('WROTE ');

      const serials: number[] = [];
      for (let i = 0; i < 300 && serials.length < 60; i++) {
        serials.push((await reader.read()).serial); // read() throws on a partial document
      }
      await child.kill();
      const after = await reader.read();

      expect(serials.length).toBeGreaterThan(0);
      expect(after.serial).toBeGreaterThanOrEqual(Math.max(...serials));
      expect(Object.keys(after.owned)).toHaveLength(500);
    });

    it('is exclusive: a second acquire fails at once and names the holder', async () => {
      const loc = await newLocation();
      const lock = await take(open(loc));
      const b = open(loc);

      const err = await take(b).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(LockHeldError);
      expect((err as LockHeldError).holder).toEqual(lock.info);
      expect(lock.info).toMatchObject({ who: 'tester@host', operation: 'apply' });
      expect(await b.currentLock()).toEqual(lock.info);
    });

    it('waits with waitMs and gets the lock once it is released', async () => {
      const loc = await newLocation();
      const first = await take(open(loc));
      const b = open(loc);

      const waiting = take(b, 30_000);
      await first.release();
      const second = await waiting;

      expect(second.id).not.toBe(first.id);
      expect(await b.currentLock()).toEqual(second.info);
    });

    it('takes over the lock of a holder process that was SIGKILLed: at once on the same host (file), else once it is stale', async () => {
      const loc = await newLocation();
      const child = spawnHolder(loc, 'hold');
      children.push(child);
      const childId = await child.line('LOCKED ');
      await child.kill();
      const b = open(loc);

      const early: StateLock | Error = await take(b).catch((e: unknown) => e as Error);
      const lock =
        early instanceof Error
          ? await take(b, (loc.config.lockTtlMs ?? 20_000) * 3 + 5_000)
          : early;
      const written = await lock.update(() => undefined);

      // The file lock records the holder's PID and host, so a gone holder frees it at once.
      if (loc.config.backend === 'file') expect(early).not.toBeInstanceOf(Error);
      else expect((early as LockHeldError).holder?.id).toBe(childId);
      expect(lock.id).not.toBe(childId);
      expect(written.serial).toBe(1);
    });

    it('forceUnlock breaks only the named lock, and the old holder can no longer write', async () => {
      const loc = await newLocation();
      const a = open(loc);
      const doc = await a.read();
      const old = await take(a);
      const lostReasons: Error[] = [];
      old.onLost((e) => lostReasons.push(e));
      const b = open(loc);

      await expect(b.forceUnlock('not-the-id')).rejects.toBeInstanceOf(UsageError);
      expect(await b.currentLock()).toEqual(old.info);
      await b.forceUnlock(old.id);
      expect(await b.currentLock()).toBeUndefined();
      const taker = await take(b);
      const refused = await old.write(doc).catch((e: unknown) => e);
      const stored = await b.read();

      expect(refused).toBeInstanceOf(LockHeldError);
      expect(old.lost).toBe(true);
      expect(lostReasons.length).toBe(1);
      expect(stored.serial).toBe(0);
      expect((await taker.update(() => undefined)).serial).toBe(1);
    });

    it('leadership is its own lease: exclusive, independent of the state lock, free again on release', async () => {
      const loc = await newLocation();
      const a = open(loc);
      const b = open(loc);
      const timing = { ttlMs: 3000, renewMs: 1000, marginMs: 500, commandTimeoutMs: 1000 };

      const leader = await a.acquireLeadership({ operation: 'daemon', who: 'a@host' }, timing);
      expect(leader).toBeDefined();
      expect(leader!.deadline).toBeGreaterThan(Date.now());
      expect(leader!.deadline).toBeLessThanOrEqual(Date.now() + 2500);
      expect(await b.acquireLeadership({ operation: 'daemon' }, timing)).toBeUndefined();
      expect((await b.currentLeader())?.who).toBe('a@host');
      // The state lock is free while a daemon leads: a CI apply can take it.
      const lock = await take(b);
      await lock.update(() => undefined);
      await lock.release();

      await leader!.release();
      expect(leader!.signal.aborted).toBe(true);
      const next = await b.acquireLeadership({ operation: 'daemon' }, timing);
      expect(next).toBeDefined();
      await next!.release();
    });

    it('frees the lock on release and refuses writes afterwards', async () => {
      const loc = await newLocation();
      const a = open(loc);
      const doc = await a.read();
      const lock = await take(a);

      await lock.release();

      expect(await a.currentLock()).toBeUndefined();
      await expect(lock.write(doc)).rejects.toBeInstanceOf(LockHeldError);
    });
  });
}
