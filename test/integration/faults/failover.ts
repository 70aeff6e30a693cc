/**
 * Shared by the daemon-failover fault rows: a pool of daemons on one state (one leads, the rest
 * stand by), a SIGKILL of the leader, and the time until another one leads (its
 * `leadership lease held` log line, stamped by the daemon itself) and is ready (/readyz 200).
 */
import {
  startDaemonChild,
  waitFor,
  type DaemonChild,
  type Server,
} from '../daemon/daemon-process.ts';

interface LogLine {
  msg?: string;
  /** ISO time (the logger's timestamp). */
  time?: string;
}

function logTimes(d: DaemonChild, msg: string): number[] {
  return d
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(`"msg":"${msg}"`))
    .map((l) => Date.parse((JSON.parse(l) as LogLine).time ?? ''));
}

export const HELD = 'leadership lease held; reconciling';

export async function readyz(d: DaemonChild): Promise<number> {
  return (await fetch(`${d.base}/readyz`).catch(() => undefined))?.status ?? 0;
}

export interface Takeover {
  /** SIGKILL sent -> the next leader's lease taken (its own log time). */
  takeoverMs: number;
  /** SIGKILL sent -> the next leader's /readyz answered 200. */
  readyMs: number;
  leader: DaemonChild;
}

export interface DaemonPool {
  daemons: DaemonChild[];
  /** The one that leads now (waits until exactly one does). */
  leader(): Promise<DaemonChild>;
  /** Starts one more standby. */
  add(): Promise<DaemonChild>;
  /** SIGKILLs the leader mid-work and measures until another one leads and is ready. */
  killLeader(): Promise<Takeover>;
  stopAll(): Promise<void>;
}

export function daemonPool(ws: string, server: Server, args: readonly string[]): DaemonPool {
  const daemons: DaemonChild[] = [];
  /** How many terms each daemon had started when last looked at. */
  const leading = (d: DaemonChild): boolean => {
    const held = logTimes(d, HELD).length;
    const lost = logTimes(d, 'leadership lease lost; standing by').length;
    return d.child.exitCode === null && d.child.signalCode === null && held > lost;
  };
  const pool: DaemonPool = {
    daemons,
    async leader() {
      let found: DaemonChild | undefined;
      await waitFor(
        'one daemon leads',
        () => {
          const now = daemons.filter(leading);
          found = now.length === 1 ? now[0] : undefined;
          return found !== undefined;
        },
        20_000,
      );
      return found!;
    },
    async add() {
      const d = await startDaemonChild(ws, server, args, {}, 60_000);
      daemons.push(d);
      return d;
    },
    async killLeader() {
      const old = await pool.leader();
      const before = new Map(daemons.map((d) => [d, logTimes(d, HELD).length]));
      const killedAt = Date.now();
      await old.kill();
      daemons.splice(daemons.indexOf(old), 1);
      let next: DaemonChild | undefined;
      await waitFor(
        'a standby leads',
        () => {
          next = daemons.find((d) => logTimes(d, HELD).length > (before.get(d) ?? 0));
          return next !== undefined;
        },
        30_000,
      );
      const leader = next!;
      await waitFor('the new leader is ready', async () => (await readyz(leader)) === 200, 30_000);
      const readyMs = Date.now() - killedAt;
      const takenAt = logTimes(leader, HELD).at(-1) ?? Date.now();
      return { takeoverMs: takenAt - killedAt, readyMs, leader };
    },
    async stopAll() {
      for (const d of daemons.splice(0)) await d.stop();
    },
  };
  return pool;
}

export function summary(ms: readonly number[]): { n: number; medianMs: number; worstMs: number } {
  const s = [...ms].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, medianMs: Math.round(median), worstMs: s.at(-1) ?? 0 };
}
