import { Option, type Command } from 'commander';
import { createLiveKitAdapter } from '../../adapters/livekit/index.ts';
import type { RoomStatus } from '../../adapters/status/room-status.ts';
import type { DaemonStatus } from '../../adapters/status/daemon-status.ts';
import { liveKitConnectionFromEnv } from '../../app/connection.ts';
import { KIND_MODULES } from '../../kinds/index.ts';
import type { LiveRoom } from '../../core/live.ts';
import { UsageError } from '../../core/errors.ts';
import type { TargetConfig } from '../../spec/config-schema.ts';
import { ExitCode } from '../exit-codes.ts';
import { gitStatusLines, specCommitLine } from '../render-git-status.ts';
import type { CommandContext } from '../command-context.ts';
import { addProjectOptions, type ProjectFlags } from '../project-context.ts';
import { readStatusDocuments } from '../status-source.ts';
import { loadTargetConfig } from '../target-options.ts';
import pLimit from 'p-limit';

interface StatusFlags extends ProjectFlags {
  statusDir?: string;
  format: 'text' | 'json';
}

/** One row: the status file's view, corrected by LiveKit's when the server answered. */
export interface StatusRow {
  name: string;
  sid: string | null;
  live: boolean;
  participants: number;
  publishers: number;
  synced: string;
  ready: string;
  lastEvent: string;
  file?: RoomStatus;
}

export function registerStatus(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('status')
    .description(
      'Live rooms, participants, conditions and recent events (LiveKit + status files, or Redis with the redis state backend).',
    )
    .argument('[room]', 'show one room in detail')
    .option(
      '--status-dir <dir>',
      'read status files here (config: statusDir; default status; with the redis backend: Redis unless given)',
    )
    .option('--target <name>', 'which target of livekit-gitops.yaml `targets:`')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  addProjectOptions(cmd).action(async (room: string | undefined, _o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<StatusFlags>();
    const view = await loadTargetConfig(ctx, flags);
    const target = view.target;
    const named = view.config.declaredTargets ? target.name : undefined;
    const [files, live] = await Promise.all([
      readStatusDocuments(ctx, view.config, flags),
      liveRooms(ctx, target.livekit, named),
    ]);
    const rows = mergeRows(files.rooms, live.rooms);
    if (room !== undefined) {
      const row = rows.find((r) => r.name === room);
      if (!row) throw new UsageError(`no status for room "${room}" (not live, no status file)`);
      if (flags.format === 'json') ctx.io.stdout(JSON.stringify(row, null, 2) + '\n');
      else ctx.io.stdout(renderRoom(row));
      ctx.setExitCode(ExitCode.ok);
      return;
    }
    if (flags.format === 'json') {
      const out = {
        livekit: live.error ? { reachable: false, error: live.error } : { reachable: true },
        daemon: files.daemon ?? null,
        rooms: rows,
      };
      ctx.io.stdout(JSON.stringify(out, null, 2) + '\n');
    } else {
      ctx.io.stdout(renderTable(rows, files.daemon, live.error));
    }
    ctx.setExitCode(ExitCode.ok);
  });
}

/** Rooms whose participants are counted exactly; beyond, ListRooms' own counts are shown. */
const EXACT_COUNT_LIMIT = 100;

async function liveRooms(
  ctx: CommandContext,
  names: TargetConfig['livekit'],
  target: string | undefined,
): Promise<{ rooms?: LiveRoom[]; error?: string }> {
  try {
    const conn = liveKitConnectionFromEnv(ctx.io.env, names, target);
    const port = createLiveKitAdapter({ ...conn, requestTimeoutMs: 3_000, retry: false });
    const rooms = await port.listRooms();
    // ListRooms' numParticipants lags behind with Redis (the stored room is refreshed
    // periodically), so the rooms shown are counted with ListParticipants.
    const limit = pLimit(8);
    return {
      rooms: await Promise.all(
        rooms.map((r, i) =>
          i >= EXACT_COUNT_LIMIT
            ? Promise.resolve(r)
            : limit(async () => {
                const people = await port.listParticipants(r.name);
                return {
                  ...r,
                  numParticipants: people.length,
                  numPublishers: people.filter((p) => p.isPublisher).length,
                };
              }),
        ),
      ),
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export function mergeRows(
  files: readonly RoomStatus[],
  live: readonly LiveRoom[] | undefined,
): StatusRow[] {
  const rows = new Map<string, StatusRow>();
  for (const f of files) {
    const cond = (t: string): string => {
      const c = f.conditions.find((x) => x.type === t);
      return c ? `${c.status}/${c.reason}` : '-';
    };
    const last = f.events[f.events.length - 1];
    rows.set(f.room, {
      name: f.room,
      sid: f.sid,
      live: f.live,
      participants: f.participants.length,
      publishers: f.publishers,
      synced: cond('Synced'),
      ready: cond('Ready'),
      lastEvent: last
        ? `${last.event}${last.participant ? ' ' + last.participant : ''} ${last.time}`
        : '-',
      file: f,
    });
  }
  if (live) {
    const liveNames = new Set(live.map((r) => r.name));
    for (const r of live) {
      const row = rows.get(r.name);
      const base: StatusRow = row ?? {
        name: r.name,
        sid: null,
        live: true,
        participants: 0,
        publishers: 0,
        synced: '-',
        ready: '-',
        lastEvent: '-',
      };
      rows.set(r.name, {
        ...base,
        sid: r.sid,
        live: true,
        participants: r.numParticipants,
        publishers: r.numPublishers,
      });
    }
    for (const row of rows.values()) {
      if (!liveNames.has(row.name))
        Object.assign(row, { live: false, sid: null, participants: 0, publishers: 0 });
    }
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function renderTable(
  rows: StatusRow[],
  daemon: DaemonStatus | undefined,
  liveError: string | undefined,
): string {
  // The kinds' own columns (agents, ...) come from the registry, before the last event.
  const columns = KIND_MODULES.flatMap((m) => (m.statusView?.column ? [m.statusView.column] : []));
  const head = [
    'ROOM',
    'SID',
    'LIVE',
    'PARTICIPANTS',
    'PUBLISHERS',
    'SYNCED',
    'READY',
    ...columns.map((c) => c.head),
    'LAST EVENT',
  ];
  const body = rows.map((r) => [
    r.name,
    r.sid ?? '-',
    r.live ? 'yes' : 'no',
    String(r.participants),
    String(r.publishers),
    r.synced,
    r.ready,
    ...columns.map((c) => (r.file ? c.cell(r.file) : '-')),
    r.lastEvent,
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...body.map(line)];
  if (rows.length === 0) out.push('(no rooms: none live and no status files)');
  out.push('');
  if (liveError) out.push(`LiveKit not reachable (${liveError}); showing status files only.`);
  if (daemon) {
    const errs = daemon.specErrors.length;
    out.push(
      `daemon: ${daemon.active ? 'active' : 'standing by / stopped'} (pid ${daemon.pid}), last full resync ${daemon.lastFullResync ? `${daemon.lastFullResync.result} at ${daemon.lastFullResync.time}` : 'none'}${errs > 0 ? `, ${errs} spec error(s)` : ''}`,
    );
    for (const e of daemon.specErrors)
      out.push(`  ${e.file}:${e.line}:${e.col} ${e.code} ${e.message}`);
    if (daemon.git) out.push(...gitStatusLines(daemon.git));
  }
  return out.join('\n') + '\n';
}

function renderRoom(r: StatusRow): string {
  const out = [
    `Room ${r.name}`,
    `  sid:          ${r.sid ?? '-'}`,
    `  live:         ${r.live ? 'yes' : 'no'}`,
    `  participants: ${r.participants}`,
    `  publishers:   ${r.publishers}`,
  ];
  const f = r.file;
  if (f) {
    if (f.specCommit) out.push(specCommitLine(f.specCommit));
    out.push('  conditions:');
    for (const c of f.conditions)
      out.push(
        `    ${c.type}=${c.status} ${c.reason}: ${c.message} (since ${c.lastTransitionTime})`,
      );
    if (f.participants.length > 0) {
      out.push('  participants (from webhooks and resyncs):');
      for (const p of f.participants)
        out.push(
          `    ${p.identity}${p.name ? ` (${p.name})` : ''} ${p.kind}${p.publisher ? ' publisher' : ''} joined ${p.joinedAt}`,
        );
    }
    for (const m of KIND_MODULES) out.push(...(m.statusView?.lines?.(f) ?? []));
    if (f.lastReconcile)
      out.push(
        `  last reconcile: ${f.lastReconcile.result} at ${f.lastReconcile.time}${f.lastReconcile.actions.length ? ` (${f.lastReconcile.actions.join(', ')})` : ''}`,
      );
    if (f.events.length > 0) {
      out.push('  recent events:');
      for (const e of f.events.slice(-10))
        out.push(`    ${e.time} ${e.event}${e.participant ? ' ' + e.participant : ''}`);
    }
  } else out.push('  (no status file: not managed by a daemon here)');
  return out.join('\n') + '\n';
}
