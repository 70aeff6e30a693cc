import { Option, type Command } from 'commander';
import type { StateBackend } from '../../adapters/state/backend.ts';
import {
  DEFAULT_STATE_DIR,
  openStateBackend,
  type StateConfig,
} from '../../adapters/state/open-backend.ts';
import { formatDiagnostic } from '../../core/diagnostics.ts';
import { UsageError, type LockInfo } from '../../core/errors.ts';
import { CONFIG_FILE, loadConfig } from '../../spec/config.ts';
import { configForTarget, selectTarget } from '../../spec/config-targets.ts';
import { addTargetOption } from '../target-options.ts';
import { resolveSecret } from '../../spec/secrets.ts';
import type { StateDocument } from '../../core/inventory.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandContext } from '../command-context.ts';

/** Flags that pick the state backend, until the config file loader provides them. */
export interface StateFlags {
  stateDir?: string;
  stateBackend?: 'file' | 'redis';
  redisAddress?: string;
  redisPrefix?: string;
  redisPasswordEnv?: string;
}

export function addStateBackendOptions(cmd: Command): Command {
  return addTargetOption(cmd)
    .option(
      '--state-dir <dir>',
      `state directory for the file backend (config: stateDir; default ${DEFAULT_STATE_DIR})`,
    )
    .addOption(
      new Option(
        '--state-backend <kind>',
        'where the state lives (config: state.backend; default file)',
      ).choices(['file', 'redis']),
    )
    .option('--redis-address <host:port>', 'Redis address for the redis backend')
    .option('--redis-prefix <prefix>', 'key prefix for the redis backend')
    .option('--redis-password-env <VAR>', 'environment variable holding the Redis password');
}

export function stateConfigFromFlags(
  flags: StateFlags,
  env: Record<string, string | undefined>,
): StateConfig {
  if (flags.stateBackend !== 'redis') {
    return { backend: 'file', ...(flags.stateDir ? { dir: flags.stateDir } : {}) };
  }
  if (!flags.redisAddress) throw new UsageError('--state-backend redis needs --redis-address');
  let password: string | undefined;
  if (flags.redisPasswordEnv) {
    password = env[flags.redisPasswordEnv];
    if (password === undefined) {
      throw new UsageError(`environment variable ${flags.redisPasswordEnv} is not set`);
    }
  }
  return {
    backend: 'redis',
    redis: {
      address: flags.redisAddress,
      ...(flags.redisPrefix !== undefined ? { keyPrefix: flags.redisPrefix } : {}),
      ...(password !== undefined ? { password } : {}),
    },
  };
}

/** Flags beat the config file (`--config`, default livekit-gitops.yaml), which beats the defaults. */
async function stateConfigFor(
  ctx: CommandContext,
  flags: StateFlags & { config?: string; target?: string },
): Promise<StateConfig> {
  const explicit =
    flags.config !== undefined && flags.config !== CONFIG_FILE ? flags.config : undefined;
  const cfg = await loadConfig(ctx.io.cwd, explicit);
  const errors = cfg.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new UsageError(errors.map((d) => formatDiagnostic(d)).join('\n'));
  const config = configForTarget(cfg.config, selectTarget(cfg.config, flags.target));
  const backend = flags.stateBackend ?? config.state.backend;
  const merged: StateFlags = {
    stateBackend: backend,
    stateDir: flags.stateDir ?? config.stateDir,
  };
  const redisAddress = flags.redisAddress ?? config.state.redis?.address;
  if (redisAddress !== undefined) merged.redisAddress = redisAddress;
  const prefix = flags.redisPrefix ?? config.state.redis?.keyPrefix;
  if (prefix !== undefined) merged.redisPrefix = prefix;
  if (flags.redisPasswordEnv !== undefined) merged.redisPasswordEnv = flags.redisPasswordEnv;
  const result = stateConfigFromFlags(merged, ctx.io.env);
  const ref = config.state.redis?.password;
  if (result.redis && result.redis.password === undefined && ref !== undefined) {
    result.redis.password = resolveSecret(ref, { env: ctx.io.env, baseDir: ctx.io.cwd });
  }
  return result;
}

async function withBackend<T>(
  ctx: CommandContext,
  flags: StateFlags & { config?: string; target?: string },
  fn: (b: StateBackend) => Promise<T>,
): Promise<T> {
  const backend = openStateBackend(await stateConfigFor(ctx, flags), ctx.io.cwd);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

function describeLock(lock: LockInfo | undefined): string {
  if (!lock) return 'none';
  return `held by ${lock.who} for ${lock.operation} since ${lock.created} (ID ${lock.id})`;
}

export function renderStateText(where: string, doc: StateDocument, lock?: LockInfo): string {
  const owned = Object.values(doc.owned).sort((a, b) => a.address.localeCompare(b.address));
  const prot = Object.values(doc.protections).sort((a, b) => a.address.localeCompare(b.address));
  const pending = Object.values(doc.pending);
  const lines = [
    `State:   ${where}`,
    `Lineage: ${doc.lineage}`,
    `Serial:  ${doc.serial}`,
    `Lock:    ${describeLock(lock)}`,
    '',
    `Owned objects (${owned.length}):`,
    ...owned.map((o) => `  ${o.address}${o.serverId ? `  ${o.serverId}` : ''}  since ${o.since}`),
    `Protections (${prot.length}):`,
    ...prot.map((p) => `  ${p.address}  ${p.reason}  since ${p.since}`),
    `Pending operations (${pending.length}):`,
    ...pending.map((p) => `  ${p.address}  ${p.operation}  started ${p.startedAt}`),
  ];
  return lines.join('\n') + '\n';
}

export function registerState(program: Command, ctx: CommandContext): void {
  const state = program
    .command('state')
    .description('inspect the state (owned objects, protections, lock) or break a stale lock');

  addStateBackendOptions(
    state
      .command('show')
      .description('show lineage, serial, owned objects, protections and the lock holder')
      .addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
  ).action(async (_o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals<StateFlags & { format: 'text' | 'json'; config?: string }>();
    await withBackend(ctx, opts, async (backend) => {
      const [doc, lock] = await Promise.all([backend.read(), backend.currentLock()]);
      if (opts.format === 'json') {
        const out = { backend: backend.describe(), ...doc, lock: lock ?? null };
        ctx.io.stdout(JSON.stringify(out, null, 2) + '\n');
      } else {
        ctx.io.stdout(renderStateText(backend.describe(), doc, lock));
      }
    });
    ctx.setExitCode(ExitCode.ok);
  });

  addStateBackendOptions(
    state
      .command('unlock')
      .description('break the state lock with this ID (when its holder is gone)')
      .argument('<LOCK_ID>', 'the ID from the "locked by another run" message or state show')
      .option('--force', 'really break it: the holder must no longer be running'),
  ).action(async (id: string, _o: unknown, cmd: Command) => {
    const opts = cmd.optsWithGlobals<StateFlags & { force?: boolean; config?: string }>();
    await withBackend(ctx, opts, async (backend) => {
      const lock = await backend.currentLock();
      if (!opts.force) {
        throw new UsageError(
          `refusing to break lock ${id} without --force (current lock: ${describeLock(lock)}); ` +
            'make sure its holder is no longer running, then add --force',
        );
      }
      await backend.forceUnlock(id);
      ctx.io.stdout(`Broke lock ${id}${lock ? ` (${describeLock(lock)})` : ''}.\n`);
    });
    ctx.setExitCode(ExitCode.ok);
  });
}
