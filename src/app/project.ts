/**
 * Loading a project: the config file, then every spec under the spec paths. Returns diagnostics
 * rather than throwing, so the CLI can print them all before refusing to go on.
 */
import { hashOf } from '../core/canonical-json.ts';
import { sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import type { DesiredRoom } from '../kinds/room/desired.ts';
import { desiredRoomFromSpec } from '../kinds/room/from-spec.ts';
import { CONFIG_FILE, loadConfig, type ConfigResult } from '../spec/config.ts';
import type { ProjectConfig, TargetConfig } from '../spec/config-schema.ts';
import { configForTarget, DEFAULT_TARGET, selectTarget } from '../spec/config-targets.ts';
import { createSpecLoadCache, loadSpecs, type SpecLoadCache } from '../spec/load.ts';
import type { LoadedRoom, LoadedSpec } from '../spec/types.ts';

export interface Project {
  /** The config as the selected target sees it (its spec paths, state, status directory). */
  config: ProjectConfig;
  target: TargetConfig;
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
  /** Spec paths from the command line; the target's `specPaths` when empty. */
  paths?: readonly string[];
  /** `--target`; the config's only target when absent (unknown names are a UsageError). */
  target?: string | undefined;
}

export async function loadProject(opts: ProjectOptions): Promise<Project> {
  const explicit =
    opts.configFile !== undefined && opts.configFile !== CONFIG_FILE ? opts.configFile : undefined;
  const cfg = await loadConfig(opts.cwd, explicit);
  return projectForTarget(opts, cfg, selectTarget(cfg.config, opts.target));
}

/** Every target of the config, each loaded as its own project (for `--all-targets`). */
export async function loadAllTargets(opts: Omit<ProjectOptions, 'target'>): Promise<Project[]> {
  const explicit =
    opts.configFile !== undefined && opts.configFile !== CONFIG_FILE ? opts.configFile : undefined;
  const cfg = await loadConfig(opts.cwd, explicit);
  // One cache for the run: the base every target shares is read, parsed and checked once.
  const cache = createSpecLoadCache();
  return Promise.all(cfg.config.targets.map((t) => projectForTarget(opts, cfg, t, cache)));
}

async function projectForTarget(
  opts: ProjectOptions,
  cfg: ConfigResult,
  target: TargetConfig,
  cache?: SpecLoadCache,
): Promise<Project> {
  const paths = opts.paths && opts.paths.length > 0 ? opts.paths : target.specPaths;
  const loaded = await loadSpecs(paths, {
    cwd: opts.cwd,
    env: opts.env,
    // Without `targets:` a --target name is only a label: compose the implicit target.
    target: cfg.config.declaredTargets ? target.name : DEFAULT_TARGET,
    knownTargets: cfg.config.targets.map((t) => t.name),
    overlays: target.overlays,
    ...(cache ? { cache } : {}),
  });
  const specs = loaded.specs;
  return {
    config: configForTarget(cfg.config, target),
    target,
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
