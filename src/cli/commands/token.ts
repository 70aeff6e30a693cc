import type { Command } from 'commander';
import { Option } from 'commander';
import { mintJoinToken } from '../../adapters/livekit/token.ts';
import { didYouMean } from '../../core/diagnostics.ts';
import { UsageError } from '../../core/errors.ts';
import { buildTokenRequest } from '../../kinds/role/token-request.ts';
import { parseDuration } from '../../spec/duration.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandContext } from '../command-context.ts';
import { loadProjectOrFail, type ProjectFlags } from '../project-context.ts';

interface TokenFlags extends ProjectFlags {
  room: string;
  identity: string;
  role: string;
  ttl?: string;
  name?: string;
  format: 'text' | 'json';
}

export function registerToken(program: Command, ctx: CommandContext): void {
  program
    .command('token')
    .description('Mint a participant join token from a Role (key and secret from LIVEKIT_API_*).')
    .argument('[paths...]', 'spec files or directories (default: specPaths from the config)')
    .requiredOption('--room <room>', 'room the token joins')
    .requiredOption('--identity <identity>', 'participant identity')
    .requiredOption('--role <name>', 'Role whose grants, ttl and attributes the token carries')
    .option('--ttl <duration>', "token lifetime, e.g. 2h (default: the Role's ttl, else 6h)")
    .option('--name <name>', 'participant display name')
    .option('--target <name>', 'which target of livekit-gitops.yaml `targets:`')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .action(async (paths: string[], _o: unknown, command: Command) => {
      const flags = command.optsWithGlobals<TokenFlags>();
      const ttlMs = flags.ttl === undefined ? undefined : parseDuration(flags.ttl);
      if (flags.ttl !== undefined && (ttlMs === undefined || ttlMs < 1000)) {
        throw new UsageError(
          `--ttl wants a duration of at least 1s such as 2h, got "${flags.ttl}"`,
        );
      }
      const project = await loadProjectOrFail(ctx, paths, flags);
      const { apiKeyEnv, apiSecretEnv } = project.target.livekit;
      const apiKey = ctx.io.env[apiKeyEnv];
      const apiSecret = ctx.io.env[apiSecretEnv];
      if (!apiKey || !apiSecret) {
        const whose = project.config.declaredTargets ? ` of target ${project.target.name}` : '';
        throw new UsageError(`set ${apiKeyEnv} and ${apiSecretEnv} to sign tokens${whose}`);
      }
      const roles = project.specs.filter((s) => s.kind === 'Role');
      const role = roles.find((r) => r.name === flags.role);
      if (role === undefined) {
        const near = didYouMean(
          flags.role,
          roles.map((r) => r.name),
        );
        throw new UsageError(
          `no Role named '${flags.role}'${near ? ` (did you mean '${near}'?)` : ''}`,
        );
      }
      const roleTtl = role.spec.ttl === undefined ? undefined : parseDuration(role.spec.ttl);
      const declared = project.rooms.find((r) => r.name === flags.room);
      const request = buildTokenRequest({
        room: flags.room,
        identity: flags.identity,
        role: role.spec,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(ttlMs !== undefined ? { ttlMs } : {}),
        ...(roleTtl !== undefined ? { roleTtlMs: roleTtl } : {}),
        ...(declared !== undefined ? { declared } : {}),
      });
      const token = await mintJoinToken({ apiKey, apiSecret, ...request });
      if (flags.format === 'json') {
        const expiresAt = new Date(Date.now() + request.ttlSeconds * 1000).toISOString();
        const out = {
          token,
          room: flags.room,
          identity: flags.identity,
          role: flags.role,
          expiresAt,
          grants: request.grants,
          ...(request.attributes ? { attributes: request.attributes } : {}),
          roomConfig: request.roomConfig ?? null,
        };
        ctx.io.stdout(JSON.stringify(out, null, 2) + '\n');
      } else {
        ctx.io.stdout(token + '\n');
      }
      ctx.setExitCode(ExitCode.ok);
    });
}
