/**
 * `targets:` with their defaults. Each target gets its own state (a file directory or a Redis key
 * prefix of its own, so its own lineage and lock) unless it names one; without `targets:` there is
 * one implicit target, `default`, which is exactly the top-level config.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_CONNECTION_ENV } from './config-defaults.ts';
import type { ProjectConfig, TargetConfig } from './config-schema.ts';
import type { TargetInput } from './config-targets-schema.ts';
import type { Locator } from './positions.ts';

export const DEFAULT_TARGET = 'default';

type BaseConfig = Omit<ProjectConfig, 'targets' | 'declaredTargets'>;

/** The implicit target of a config without `targets:`. */
export function implicitTarget(base: BaseConfig): TargetConfig {
  return {
    name: DEFAULT_TARGET,
    livekit: { ...DEFAULT_CONNECTION_ENV },
    specPaths: base.specPaths,
    overlays: [],
    stateDir: base.stateDir,
    statusDir: base.statusDir,
    state: base.state,
  };
}

function targetState(base: BaseConfig, name: string, input: TargetInput): TargetConfig['state'] {
  const s = input.state;
  const backend = s?.backend ?? (s?.address !== undefined ? 'redis' : base.state.backend);
  if (backend === 'file') return { backend };
  const address = s?.address ?? base.state.redis?.address;
  const state: TargetConfig['state'] = { backend };
  if (address === undefined) return state;
  state.redis = {
    address,
    keyPrefix: s?.keyPrefix ?? `${base.state.redis?.keyPrefix ?? 'livekit-gitops:'}${name}:`,
  };
  const password = s?.password ?? base.state.redis?.password;
  if (password !== undefined) state.redis.password = password;
  return state;
}

export function resolveTargets(
  base: BaseConfig,
  input: Record<string, TargetInput> | undefined,
): TargetConfig[] {
  if (input === undefined) return [implicitTarget(base)];
  return Object.entries(input).map(([name, t]) => ({
    name,
    livekit: { ...DEFAULT_CONNECTION_ENV, ...t.livekit },
    specPaths: t.specPaths ?? base.specPaths,
    overlays: t.overlays ?? [],
    stateDir: t.state?.dir ?? `${base.stateDir}/${name}`,
    statusDir: t.statusDir ?? `${base.statusDir}/${name}`,
    state: targetState(base, name, t),
  }));
}

/** Problems the schema cannot see: a redis target without an address, two targets on one state. */
export function checkTargets(
  targets: readonly TargetConfig[],
  file: string,
  locate: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stateOwner = new Map<string, string>();
  for (const t of targets) {
    const at = { file, ...locate(['targets', t.name, 'state']) };
    if (t.state.backend === 'redis' && t.state.redis === undefined) {
      out.push(
        diagnostic(
          'E_MISSING_FIELD',
          `target ${t.name}: the redis state backend needs an address (targets.${t.name}.state.address or state.redis.address)`,
          at,
          { path: `targets.${t.name}.state` },
        ),
      );
      continue;
    }
    const key =
      t.state.backend === 'file'
        ? `file:${t.stateDir}`
        : `redis:${t.state.redis?.address}/${t.state.redis?.keyPrefix}`;
    const other = stateOwner.get(key);
    if (other !== undefined) {
      out.push(
        diagnostic(
          'E_SHARED_STATE',
          `targets ${other} and ${t.name} share one state; each target needs its own (lineage and lock)`,
          at,
          { path: `targets.${t.name}.state` },
        ),
      );
    }
    stateOwner.set(key, t.name);
  }
  return out;
}

/** The config as one target sees it: its spec paths, state and status directory. */
export function configForTarget(config: ProjectConfig, target: TargetConfig): ProjectConfig {
  return {
    ...config,
    specPaths: target.specPaths,
    stateDir: target.stateDir,
    statusDir: target.statusDir,
    state: target.state,
  };
}

/**
 * `--target NAME`. Without `targets:` the implicit target takes any name as a label (the markdown
 * heading, the PR comment), as before targets existed; with `targets:` the name must be declared.
 */
export function selectTarget(config: ProjectConfig, name: string | undefined): TargetConfig {
  const targets = config.targets;
  if (!config.declaredTargets) {
    const only = targets[0] ?? implicitTarget(config);
    return name === undefined ? only : { ...only, name };
  }
  if (name === undefined) {
    if (targets.length === 1 && targets[0]) return targets[0];
    throw new UsageError(
      `this project has several targets; pick one with --target (${targetNames(config)})`,
    );
  }
  const found = targets.find((t) => t.name === name);
  if (found === undefined) {
    throw new UsageError(`unknown target "${name}"; the targets are: ${targetNames(config)}`);
  }
  return found;
}

export function targetNames(config: ProjectConfig): string {
  return config.targets.map((t) => t.name).join(', ');
}
