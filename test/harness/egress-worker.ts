import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { onceUntilFailure } from './once.ts';

// The stand-in egress worker (a Go program in test/egress-worker): built on demand by the test
// harness, never by npm install. See docs/egress-stand-in.md.

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIR = join(ROOT, 'test/egress-worker');
const OUT_DIR = join(ROOT, '.tools/egress-worker');
const LOG_LIMIT = 2 * 1024 * 1024;

export interface StartEgressWorkerOptions {
  /** `host:port` of the Redis the livekit-server uses. */
  redisAddress: string;
  /** Worker (node) id; a random `EW_…` when absent. */
  id?: string;
  /** Answer StartEgress only after this long; the egress exists on the server before (lost answer). */
  startDelayMs?: number;
  /** STARTING -> ACTIVE after this long (worker default 200 ms). */
  activeDelayMs?: number;
  /** ENDING -> COMPLETE after this long (worker default 100 ms). */
  endDelayMs?: number;
  /** Answer StartEgress with an error (psrpc internal). */
  failStart?: boolean;
  /** Report FAILED this long after ACTIVE. */
  failAfterMs?: number;
  /** Claim affinity (default 1, which wins at once; a lower value loses to a worker claiming 1). */
  affinity?: number;
  /** Decline starts while this many egresses run (0 or absent: no limit). */
  capacity?: number;
  /** Worker log level; `quiet` still prints the ready line. */
  log?: 'quiet' | 'info' | 'debug';
  /** How long to wait for the worker's ready line (default 15 s). */
  readyTimeoutMs?: number;
}

/** One JSON line the worker printed, e.g. `{event:'status', egressId, status:'EGRESS_ACTIVE'}`. */
export interface EgressWorkerEvent {
  event: string;
  worker: string;
  ts: number;
  egressId?: string;
  status?: string;
  room?: string;
  [key: string]: unknown;
}

export interface EgressWorker {
  id: string;
  pid: number;
  /** SIGTERM: the worker ends its egresses as COMPLETE, then exits. Resolves when it is gone. */
  stop(): Promise<void>;
  /** SIGKILL: the worker just dies; the server keeps its egresses ACTIVE. */
  kill(): Promise<void>;
  /** Everything the worker printed so far (stdout and stderr). */
  log(): string;
  /** The worker's JSON events so far, in order. */
  events(): EgressWorkerEvent[];
  /** Egress ids this worker accepted (it created them on the server). */
  egressIds(): string[];
  /** Resolves with the first event (past or future) that matches; rejects after timeoutMs. */
  waitForEvent(
    match: (e: EgressWorkerEvent) => boolean,
    timeoutMs?: number,
  ): Promise<EgressWorkerEvent>;
}

/** sha256 over the Go sources and go.mod/go.sum, so an edit rebuilds and nothing else does. */
async function sourceHash(): Promise<string> {
  const names = (await readdir(SOURCE_DIR))
    .filter((n) => n.endsWith('.go') || n === 'go.mod' || n === 'go.sum')
    .sort();
  const h = createHash('sha256');
  for (const n of names) {
    h.update(n)
      .update('\0')
      .update(await readFile(join(SOURCE_DIR, n)))
      .update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function goBinary(): string {
  if (existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  return 'go';
}

/**
 * Builds the worker into `.tools/egress-worker/egress-worker-<hash>` and returns its path; reuses
 * the binary when the sources have not changed. Safe to call from parallel test files: each build
 * writes a temporary file and renames it into place.
 */
export const buildEgressWorker: () => Promise<string> = onceUntilFailure(build);

async function build(): Promise<string> {
  const hash = await sourceHash();
  const target = join(OUT_DIR, `egress-worker-${hash}`);
  if (existsSync(target)) return target;
  await mkdir(OUT_DIR, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await promisify(execFile)(goBinary(), ['build', '-o', tmp, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    await rm(tmp, { force: true });
    const e = err as Error & { stderr?: string };
    throw new Error(
      `go build of the stand-in egress worker failed (Go >= 1.26 must be on PATH or in /usr/local/go): ${e.message}\n${e.stderr ?? ''}`,
      { cause: err },
    );
  }
  await rename(tmp, target);
  // Old builds are 45 MB each; a running process keeps its unlinked binary.
  for (const n of await readdir(OUT_DIR)) {
    if (n.startsWith('egress-worker-') && join(OUT_DIR, n) !== target && !n.includes('.tmp-')) {
      await rm(join(OUT_DIR, n), { force: true });
    }
  }
  return target;
}

function args(o: StartEgressWorkerOptions, id: string): string[] {
  const a = ['--redis', o.redisAddress, '--id', id, '--log', o.log ?? 'info'];
  if (o.startDelayMs !== undefined) a.push('--start-delay', `${o.startDelayMs}ms`);
  if (o.activeDelayMs !== undefined) a.push('--active-delay', `${o.activeDelayMs}ms`);
  if (o.endDelayMs !== undefined) a.push('--end-delay', `${o.endDelayMs}ms`);
  if (o.failStart) a.push('--fail-start');
  if (o.failAfterMs !== undefined) a.push('--fail-after', `${o.failAfterMs}ms`);
  if (o.affinity !== undefined) a.push('--affinity', String(o.affinity));
  if (o.capacity !== undefined) a.push('--capacity', String(o.capacity));
  return a;
}

async function untilExit(
  child: ChildProcess,
  signal: NodeJS.Signals,
  killAfterMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}

/** Builds (if needed) and starts a worker; resolves once it is subscribed on Redis (its ready line). */
export async function startEgressWorker(opts: StartEgressWorkerOptions): Promise<EgressWorker> {
  const binary = await buildEgressWorker();
  const id = opts.id ?? `EW_${randomBytes(6).toString('hex')}`;
  const child = spawn(binary, args(opts, id), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let partial = '';
  const events: EgressWorkerEvent[] = [];
  const waiters = new Set<() => void>();

  child.stdout?.on('data', (d: Buffer) => {
    const s = d.toString();
    log += s;
    partial += s;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        events.push(JSON.parse(line) as EgressWorkerEvent);
      } catch {
        // psrpc or Go runtime text; kept in log() only.
      }
    }
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
  });
  child.on('exit', () => {
    for (const w of waiters) w();
  });

  function waitForEvent(
    match: (e: EgressWorkerEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<EgressWorkerEvent> {
    return new Promise((resolvePromise, reject) => {
      const check = (): boolean => {
        const hit = events.find(match);
        if (hit) {
          done();
          resolvePromise(hit);
          return true;
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(
            new Error(
              `egress worker ${id} exited (${child.exitCode ?? child.signalCode})\n${log.slice(-2000)}`,
            ),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `egress worker ${id}: no matching event after ${timeoutMs} ms\n${log.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const listener = (): void => void check();
      function done(): void {
        clearTimeout(timer);
        waiters.delete(listener);
      }
      waiters.add(listener);
      check();
    });
  }

  try {
    await new Promise<void>((r, j) => {
      child.once('spawn', r);
      child.once('error', j);
    });
    await waitForEvent((e) => e.event === 'ready', opts.readyTimeoutMs ?? 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  return {
    id,
    pid: child.pid ?? -1,
    stop: () => untilExit(child, 'SIGTERM', 10_000),
    kill: () => untilExit(child, 'SIGKILL', 1_000),
    log: () => log,
    events: () => [...events],
    egressIds: () => [
      ...new Set(
        events
          .filter((e) => e.event === 'status' && e.status === 'EGRESS_STARTING')
          .map((e) => String(e.egressId)),
      ),
    ],
    waitForEvent,
  };
}
