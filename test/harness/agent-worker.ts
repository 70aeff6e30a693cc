import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { onceUntilFailure } from './once.ts';

// A real LiveKit Agents worker (@livekit/agents in its own package, test/agent-worker: it peers on
// rtc-node 0.13 while the project uses 1.x). Installed by scripts/setup.sh --tests and reused by
// the test setup while its lockfile is unchanged.

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGE_DIR = join(ROOT, 'test/agent-worker');
const STAMP = join(PACKAGE_DIR, 'node_modules/.lkg-lock-hash');
const LOG_LIMIT = 2 * 1024 * 1024;

export interface StartAgentWorkerOptions {
  /** ws:// URL of the livekit-server. */
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Set: explicit dispatch only (the worker gets only dispatches naming it). */
  agentName: string;
  /** How long to wait for the server to confirm the registration (default 30 s). */
  readyTimeoutMs?: number;
}

/** A job the worker was offered (printed by its request handler, before accepting). */
export interface AgentJob {
  jobId: string;
  room: string;
  agentName: string;
  metadata: string;
  dispatchId: string;
  ts: number;
}

/** The job's process connected to the room as the agent participant. */
export interface AgentJoin {
  jobId: string;
  room: string;
  identity: string;
  ts: number;
}

export interface AgentWorker {
  agentName: string;
  pid: number;
  jobs(): AgentJob[];
  joins(): AgentJoin[];
  /** Resolves with the first job (past or future) that matches; rejects after timeoutMs. */
  waitForJob(match: (j: AgentJob) => boolean, timeoutMs?: number): Promise<AgentJob>;
  waitForJoin(match: (j: AgentJoin) => boolean, timeoutMs?: number): Promise<AgentJoin>;
  log(): string;
  /** SIGTERM (the worker drains for up to 2 s), SIGKILL to its process group after 8 s. */
  stop(): Promise<void>;
}

async function lockHash(): Promise<string> {
  const lock = await readFile(join(PACKAGE_DIR, 'package-lock.json'));
  return createHash('sha256').update(lock).digest('hex').slice(0, 16);
}

/**
 * `npm ci` in test/agent-worker unless its node_modules was installed from the same lockfile
 * (a stamp with the lockfile's hash). Returns a line saying which.
 */
export const installAgentWorker: () => Promise<string> = onceUntilFailure(install);

async function install(): Promise<string> {
  const hash = await lockHash();
  if (existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === hash) {
    return `agent worker package up to date (${hash})`;
  }
  try {
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: PACKAGE_DIR,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`npm ci in test/agent-worker failed: ${e.message}\n${e.stderr ?? ''}`, {
      cause: err,
    });
  }
  await writeFile(STAMP, hash);
  return `agent worker package installed (${hash})`;
}

type Waiter = () => void;

function waitFor<T>(
  items: () => T[],
  match: (x: T) => boolean,
  waiters: Set<Waiter>,
  child: ChildProcess,
  what: string,
  log: () => string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(`agent worker: no matching ${what} after ${timeoutMs} ms\n${log().slice(-3000)}`),
      );
    }, timeoutMs);
    const check: Waiter = () => {
      const hit = items().find(match);
      if (hit !== undefined) {
        done();
        resolvePromise(hit);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        done();
        reject(
          new Error(
            `agent worker exited (${child.exitCode ?? child.signalCode})\n${log().slice(-3000)}`,
          ),
        );
      }
    };
    function done(): void {
      clearTimeout(timer);
      waiters.delete(check);
    }
    waiters.add(check);
    check();
  });
}

/** Starts a worker; resolves once the server confirmed its registration. */
export async function startAgentWorker(opts: StartAgentWorkerOptions): Promise<AgentWorker> {
  await installAgentWorker();
  const child = spawn(process.execPath, ['worker.js', 'start', '--log-level', 'info'], {
    cwd: PACKAGE_DIR,
    // Its own process group, so stop() also ends the job processes the worker forked.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LIVEKIT_URL: opts.wsUrl,
      LIVEKIT_API_KEY: opts.apiKey,
      LIVEKIT_API_SECRET: opts.apiSecret,
      LKG_AGENT_NAME: opts.agentName,
      LKG_HTTP_PORT: String(await freePort()),
    },
  });
  let log = '';
  let partial = '';
  let registered = false;
  const jobs: AgentJob[] = [];
  const joins: AgentJoin[] = [];
  const waiters = new Set<Waiter>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };

  child.stdout?.on('data', (d: Buffer) => {
    const s = d.toString();
    log += s;
    partial += s;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('registered worker')) registered = true;
      if (!line.startsWith('{"lkg":true')) continue;
      const e = JSON.parse(line) as { event: string } & AgentJob & AgentJoin;
      if (e.event === 'job') jobs.push(e);
      if (e.event === 'joined') joins.push(e);
    }
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
    wake();
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
  });
  child.on('exit', wake);

  const getLog = (): string => log;
  const pid = child.pid ?? -1;

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup(pid), 8_000);
    await exited;
    clearTimeout(timer);
    // The job processes may outlive their parent for a moment; end them with it.
    killGroup(pid);
  }

  try {
    await new Promise<void>((r, j) => {
      child.once('spawn', r);
      child.once('error', j);
    });
    await waitFor(
      () => (registered ? [true] : []),
      () => true,
      waiters,
      child,
      'registration',
      getLog,
      opts.readyTimeoutMs ?? 30_000,
    );
  } catch (err) {
    killGroup(pid);
    throw err;
  }

  return {
    agentName: opts.agentName,
    pid,
    jobs: () => [...jobs],
    joins: () => [...joins],
    waitForJob: (match, timeoutMs = 15_000) =>
      waitFor(() => jobs, match, waiters, child, 'job', getLog, timeoutMs),
    waitForJoin: (match, timeoutMs = 15_000) =>
      waitFor(() => joins, match, waiters, child, 'join', getLog, timeoutMs),
    log: getLog,
    stop,
  };
}

function killGroup(pid: number): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}
