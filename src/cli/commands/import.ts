import { Option, type Command } from 'commander';
import { openStateBackend } from '../../adapters/state/open-backend.ts';
import { importFiles, writeImportFiles } from '../import-files.ts';
import { IMPORT_KINDS, type ImportKind } from '../../app/import-map.ts';
import { adoptedEntries, buildImport, type SkippedObject } from '../../app/import-plan.ts';
import { adoptObjects, readLive } from '../../app/import-run.ts';
import { UsageError } from '../../core/errors.ts';
import { kebab } from '../../spec/spec-constants.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandContext } from '../command-context.ts';
import {
  addProjectOptions,
  connectLiveKit,
  stateConfigFor,
  type ProjectFlags,
} from '../project-context.ts';
import { addTargetOption, loadTargetConfig, type TargetView } from '../target-options.ts';

interface ImportFlags extends ProjectFlags {
  out: string;
  kinds?: string;
  match?: string[];
  adopt?: boolean;
  force?: boolean;
  format: 'text' | 'json';
}

/** `Room`, `room`, `sip-inbound-trunk`, `SIPInboundTrunk` all name the same kind. */
export function parseKinds(text: string | undefined): ImportKind[] {
  if (text === undefined) return [...IMPORT_KINDS];
  const wanted = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return wanted.map((w) => {
    const kind = IMPORT_KINDS.find(
      (k) => k.toLowerCase() === w.toLowerCase() || kebab(k) === w.toLowerCase(),
    );
    if (kind === undefined) {
      throw new UsageError(`--kinds: unknown kind "${w}" (one of ${IMPORT_KINDS.join(', ')})`);
    }
    return kind;
  });
}

function skippedLine(s: SkippedObject): string {
  return s.name === undefined
    ? `Skipped ${s.kind}: ${s.reason}\n`
    : `Skipped ${s.kind} "${s.name}": ${s.reason}\n`;
}

export function registerImport(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('import')
    .description(
      'Write specs for the live rooms, ingress and SIP objects (onboarding an existing deployment).',
    )
    .option('--out <dir>', 'directory the spec files go to', 'imported')
    .option('--kinds <list>', `comma-separated kinds (default: ${IMPORT_KINDS.join(',')})`)
    .option('--match <glob...>', 'only objects whose name matches one of these globs')
    .option('--adopt', 'record the imported objects as owned, so the tool manages them from now on')
    .option('--force', 'overwrite existing files in --out')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  addTargetOption(cmd);
  addProjectOptions(cmd).action(async (_o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<ImportFlags>();
    const kinds = parseKinds(flags.kinds);
    const json = flags.format === 'json';
    const view = await loadTargetConfig(ctx, flags);
    const port = connectLiveKit(ctx, view);
    const read = await readLive(port, kinds);
    for (const u of read.unavailable) ctx.io.stderr(`Warning: ${skippedLine(u)}`);
    const set = buildImport(read.snapshot, {
      env: ctx.io.env,
      ...(flags.match === undefined ? {} : { match: flags.match }),
    });
    const docs = set.docs.filter((d) => kinds.includes(d.kind));
    const skipped = [...read.unavailable, ...set.skipped.filter((s) => kinds.includes(s.kind))];
    const files = importFiles(docs, flags.out, ctx.io.cwd);
    await writeImportFiles(files, ctx.io.cwd, flags.force === true);

    const adopted = flags.adopt === true ? await adopt(ctx, flags, view, docs) : 0;
    const env = docs.flatMap((d) => d.env);
    if (json) {
      const written = docs.map((d) => ({
        kind: d.kind,
        name: d.name,
        file: files.find((f) => f.kind === d.kind)?.file ?? '',
      }));
      ctx.io.stdout(JSON.stringify({ written, skipped, adopted }, null, 2) + '\n');
    } else {
      for (const f of files) {
        const n = docs.filter((d) => d.kind === f.kind).length;
        ctx.io.stdout(`Wrote ${f.file}: ${n} ${f.kind}${n === 1 ? '' : ' specs'}\n`);
      }
      if (files.length === 0) ctx.io.stdout('Nothing to import.\n');
      for (const s of set.skipped.filter((x) => kinds.includes(x.kind)))
        ctx.io.stdout(skippedLine(s));
      if (flags.adopt === true) ctx.io.stdout(`Adopted ${adopted} object(s) into the state.\n`);
      else if (docs.length > 0)
        ctx.io.stdout(
          'Not adopted: plan leaves these objects alone until you run import --adopt.\n',
        );
    }
    if (env.length > 0) {
      ctx.io.stderr(
        `Secrets were not written. Set these environment variables before plan/apply: ${env.join(', ')}\n`,
      );
    }
    ctx.setExitCode(ExitCode.ok);
  });
}

async function adopt(
  ctx: CommandContext,
  flags: ImportFlags,
  view: TargetView,
  docs: Parameters<typeof adoptedEntries>[0],
): Promise<number> {
  const backend = openStateBackend(
    stateConfigFor(view.config, flags, ctx.io.env, ctx.io.cwd),
    ctx.io.cwd,
  );
  try {
    const lock = await backend.acquireLock({ operation: 'import' });
    try {
      return await adoptObjects(lock, adoptedEntries(docs, new Date()));
    } finally {
      await lock.release();
    }
  } finally {
    await backend.close();
  }
}
