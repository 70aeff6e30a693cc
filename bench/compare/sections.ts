/**
 * The comparison's sections. Every figure is a whole process timed from spawn to exit on a
 * fresh livekit-server with its own Redis (started and stopped around each run, not timed).
 */
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { freePort } from '../../test/harness/free-port.ts';
import { startLiveKit } from '../../test/harness/livekit-server.ts';
import { startDaemonChild, waitFor } from '../../test/integration/daemon/daemon-process.ts';
import * as c from './contenders.ts';
import { median, timeProcess, type Command } from './processes.ts';
import type { PythonEnv } from './python-env.ts';
import { postAll, signedEvents, type LoadResult } from './webhook-load.ts';

export interface Settings {
  rooms: number;
  concurrencies: number[];
  planRooms: number[];
  runs: number;
  /** One uncounted round first. */
  warmup: boolean;
  events: number;
  parallel: number;
  cli: c.CliFlavour;
  /** Absent: the Python peers are left out (smoke mode: no PyPI). */
  python?: PythonEnv;
}

/** Runs `fn` against a fresh server (with Redis) and stops it. */
async function onFreshServer<T>(fn: (lk: c.Server) => Promise<T>): Promise<T> {
  const lk = await startLiveKit();
  try {
    return await fn(lk);
  } finally {
    await lk.stop();
  }
}

async function expectRooms(lk: c.Server, n: number): Promise<void> {
  const rooms = await new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret).listRooms();
  if (rooms.length !== n) throw new Error(`expected ${n} rooms, found ${rooms.length}`);
}

interface Contender {
  command: (lk: c.Server) => Command;
  /** Before each run (not timed), e.g. removing the previous run's state. */
  before?: () => Promise<void>;
}

/**
 * Median ms per contender over `runs` rounds; each round runs every contender once, in turn (so
 * a machine that slows down mid-way slows all alike), each on a fresh server, after one round
 * that is not counted (first-run costs: Python's bytecode cache, the disk cache).
 */
async function medianRounds(
  s: Settings,
  contenders: Contender[],
  verify: (lk: c.Server) => Promise<void>,
): Promise<number[]> {
  const times = contenders.map((): number[] => []);
  const rounds = s.warmup ? s.runs + 1 : s.runs;
  for (let r = 0; r < rounds; r++) {
    for (const [i, one] of contenders.entries()) {
      await one.before?.();
      const ms = await onFreshServer(async (lk) => {
        const t = await timeProcess(one.command(lk));
        await verify(lk);
        return t;
      });
      if (r > 0 || !s.warmup) times[i]?.push(ms);
    }
  }
  return times.map(median);
}

export interface ApplyRow {
  concurrency: number;
  pythonMs?: number;
  nodeMs: number;
  cliMs: number;
}

export async function applySection(s: Settings): Promise<ApplyRow[]> {
  const ws = await c.roomsWorkspace(s.rooms);
  const rows: ApplyRow[] = [];
  try {
    for (const conc of s.concurrencies) {
      const py = s.python;
      const contenders: Contender[] = [
        { command: (lk) => c.nodeCreateRooms(s.rooms, conc, lk) },
        {
          command: (lk) =>
            c.cli(s.cli, ['apply', '--auto-approve', '--concurrency', String(conc)], ws, lk),
          before: () => rm(join(ws, '.livekit-gitops'), { recursive: true, force: true }),
        },
        ...(py ? [{ command: (lk: c.Server) => c.pythonCreateRooms(py, s.rooms, conc, lk) }] : []),
      ];
      const [nodeMs = 0, cliMs = 0, pythonMs] = await medianRounds(s, contenders, (lk) =>
        expectRooms(lk, s.rooms),
      );
      rows.push({
        concurrency: conc,
        ...(pythonMs !== undefined ? { pythonMs } : {}),
        nodeMs,
        cliMs,
      });
    }
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
  return rows;
}

export interface PlanRow {
  rooms: number;
  pythonListMs?: number;
  nodeListMs: number;
  cliPlanMs: number;
}

/** `plan` with nothing to change after an apply, against one list_rooms call in a process. */
export async function planSection(s: Settings): Promise<PlanRow[]> {
  const rows: PlanRow[] = [];
  for (const n of s.planRooms) {
    const ws = await c.roomsWorkspace(n);
    const py: number[] = [];
    const node: number[] = [];
    const plan: number[] = [];
    try {
      for (let r = 0; r < s.runs; r++) {
        await rm(join(ws, '.livekit-gitops'), { recursive: true, force: true });
        await onFreshServer(async (lk) => {
          await timeProcess(
            c.cli(s.cli, ['apply', '--auto-approve', '--concurrency', '32'], ws, lk),
          );
          if (s.python) py.push(await timeProcess(c.pythonListRooms(s.python, n, lk)));
          node.push(await timeProcess(nodeListRooms(lk)));
          // Exit 0 with --detailed-exitcode: the plan found nothing to change.
          plan.push(await timeProcess(c.cli(s.cli, ['plan', '--detailed-exitcode'], ws, lk)));
        });
      }
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
    rows.push({
      rooms: n,
      ...(s.python ? { pythonListMs: median(py) } : {}),
      nodeListMs: median(node),
      cliPlanMs: median(plan),
    });
  }
  return rows;
}

function nodeListRooms(lk: c.Server): Command {
  const code = `import { RoomServiceClient } from 'livekit-server-sdk';
await new RoomServiceClient(process.env.LIVEKIT_URL, process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET).listRooms();`;
  return {
    cmd: process.execPath,
    args: ['--input-type=module', '-e', code],
    cwd: c.ROOT,
    env: c.serverEnv(lk),
  };
}

export interface StartupRow {
  what: string;
  ms: number;
}

export async function startupSection(s: Settings): Promise<StartupRow[]> {
  const ws = await c.roomsWorkspace(1);
  const runs = Math.max(s.runs, 5);
  const commands: [string, Command][] = [
    ['node -e 0', { cmd: process.execPath, args: ['-e', '0'] }],
    ...(s.python
      ? ([
          [
            'python: import livekit.api',
            { cmd: s.python.python, args: ['-c', 'import livekit.api'] },
          ],
        ] as [string, Command][])
      : []),
    ['livekit-gitops --version', c.cli(s.cli, ['--version'], ws)],
    ['livekit-gitops validate (one file)', c.cli(s.cli, ['validate'], ws)],
  ];
  const rows: StartupRow[] = [];
  try {
    for (const [what, command] of commands) {
      const times: number[] = [];
      if (s.warmup) await timeProcess(command);
      for (let r = 0; r < runs; r++) times.push(await timeProcess(command));
      rows.push({ what, ms: median(times) });
    }
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
  return rows;
}

export interface WebhookRow {
  receiver: string;
  result: LoadResult;
}

const WEBHOOK_ROOMS = 100;

export async function webhookSection(s: Settings): Promise<WebhookRow[]> {
  const rows: WebhookRow[] = [];
  const lk = await startLiveKit({ redis: false });
  try {
    const events = await signedEvents(s.events, WEBHOOK_ROOMS, lk);
    const daemon: LoadResult[] = [];
    for (let r = 0; r < s.runs; r++) daemon.push(await daemonRun(lk, events, s.parallel));
    rows.push({ receiver: 'livekit-gitops daemon', result: medianResult(daemon) });
    if (s.python) {
      const flask: LoadResult[] = [];
      for (let r = 0; r < s.runs; r++) flask.push(await flaskRun(s.python, lk, events, s.parallel));
      rows.push({ receiver: 'Flask under gunicorn (2 workers)', result: medianResult(flask) });
    }
  } finally {
    await lk.stop();
  }
  return rows;
}

function medianResult(results: LoadResult[]): LoadResult {
  return {
    eventsPerSecond: median(results.map((r) => r.eventsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
  };
}

async function daemonRun(
  lk: c.Server,
  events: Awaited<ReturnType<typeof signedEvents>>,
  parallel: number,
): Promise<LoadResult> {
  const ws = await c.roomsWorkspace(1);
  const d = await startDaemonChild(ws, lk, ['--interval', '1h']);
  try {
    await waitFor('ready', async () => (await fetch(`${d.base}/readyz`)).status === 200, 60_000);
    const result = await postAll(d.webhookUrl, events, parallel);
    // Folded into status: one file per room the events named (plus the declared room).
    await waitFor('status files', async () => {
      const files = await readdir(join(ws, 'status'));
      return (
        files.filter((f) => f.startsWith('bench-')).length >= Math.min(WEBHOOK_ROOMS, events.length)
      );
    });
    return result;
  } finally {
    await d.stop();
    await rm(ws, { recursive: true, force: true });
  }
}

async function flaskRun(
  py: PythonEnv,
  lk: c.Server,
  events: Awaited<ReturnType<typeof signedEvents>>,
  parallel: number,
): Promise<LoadResult> {
  const port = await freePort();
  const child = spawn(
    py.gunicorn,
    [
      '-w',
      '2',
      '-b',
      `127.0.0.1:${port}`,
      '--chdir',
      join(c.ROOT, 'bench', 'peers'),
      'webhook_app:app',
    ],
    { env: { ...process.env, ...c.serverEnv(lk) }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor('gunicorn', async () => (await fetch(`${base}/healthz`)).status === 200, 30_000);
    return await postAll(`${base}/livekit/webhook`, events, parallel);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
