/**
 * Loading a project: the config file, then every spec under the spec paths. Returns diagnostics
 * rather than throwing, so the CLI can print them all before refusing to go on.
 */
import { hashOf } from '../core/canonical-json.ts';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { desiredRoomFromSpec } from '../kinds/room/from-spec.ts';
import { CONFIG_FILE, loadConfig } from '../spec/config.ts';
import type { ProjectConfig } from '../spec/config-schema.ts';
import { loadSpecs } from '../spec/load.ts';
import type { LoadedRoom, LoadedSpec } from '../spec/types.ts';

export interface Project {
  config: ProjectConfig;
  specs: LoadedSpec[];
  files: string[];
  diagnostics: Diagnostic[];
  /** Hash of every spec's kind, name, labels and body (secret references, never values). */
  specHash: string;
  rooms: DesiredRoom[];
}

export interface ProjectOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--config`; the default file name means "optional, if present". */
  configFile?: string | undefined;
  /** Spec paths from the command line; the config's `specPaths` when empty. */
  paths?: readonly string[];
}

export async function loadProject(opts: ProjectOptions): Promise<Project> {
  const explicit =
    opts.configFile !== undefined && opts.configFile !== CONFIG_FILE ? opts.configFile : undefined;
  const cfg = await loadConfig(opts.cwd, explicit);
  const paths = opts.paths && opts.paths.length > 0 ? opts.paths : cfg.config.specPaths;
  const loaded = await loadSpecs(paths, { cwd: opts.cwd, env: opts.env });
  const specs = loaded.specs;
  return {
    config: cfg.config,
    specs,
    files: loaded.files,
    diagnostics: sortDiagnostics([...cfg.diagnostics, ...loaded.diagnostics]),
    specHash: specSetHash(specs),
    rooms: specs.filter((s): s is LoadedRoom => s.kind === 'Room').map(desiredRoomFromSpec),
  };
}

export function specSetHash(specs: readonly LoadedSpec[]): string {
  const entries = specs
    .map((s) => ({ kind: s.kind, name: s.name, labels: s.labels, spec: s.spec }))
    .sort((a, b) => (a.kind + '/' + a.name).localeCompare(b.kind + '/' + b.name));
  return hashOf(entries);
}
