/** The optional project config file, validated with the same machinery as specs. */
import path from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import { DEFAULT_CONFIG } from './config-defaults.ts';
import type { ProjectConfig, ProjectConfigInput } from './config-schema.ts';
import { checkTargets, resolveTargets } from './config-targets.ts';
import { parseDuration } from './duration.ts';
import { gitSourceDiagnostics } from './config-git-source.ts';
import { notificationDiagnostics } from './config-notifications.ts';
import { parseYaml } from './parse-yaml.ts';
import { makeLocator } from './positions.ts';
import { readSpecFile } from './read-files.ts';
import { schemaDiagnostics } from './schema-errors.ts';
import { configValidator } from './validators.ts';

export const CONFIG_FILE = 'livekit-gitops.yaml';

export interface ConfigResult {
  config: ProjectConfig;
  /** Absolute path of the file read, undefined when none was. */
  file: string | undefined;
  diagnostics: Diagnostic[];
}

export function applyDefaults(input: ProjectConfigInput): ProjectConfig {
  const backend = input.state?.backend ?? (input.state?.redis ? 'redis' : 'file');
  const state: ProjectConfig['state'] = { backend };
  if (input.state?.redis) {
    state.redis = {
      address: input.state.redis.address,
      keyPrefix: input.state.redis.keyPrefix ?? 'livekit-gitops:',
    };
    if (input.state.redis.password) state.redis.password = input.state.redis.password;
  }
  const base = {
    ...(input.source ? { source: input.source } : {}),
    ...(input.notifications ? { notifications: input.notifications } : {}),
    specPaths: input.specPaths ?? DEFAULT_CONFIG.specPaths,
    stateDir: input.stateDir ?? DEFAULT_CONFIG.stateDir,
    statusDir: input.statusDir ?? DEFAULT_CONFIG.statusDir,
    state,
    prune: input.prune ?? DEFAULT_CONFIG.prune,
    maxDeletes: input.maxDeletes ?? DEFAULT_CONFIG.maxDeletes,
    concurrency: input.concurrency ?? DEFAULT_CONFIG.concurrency,
    daemon: {
      listen: input.daemon?.listen ?? DEFAULT_CONFIG.daemon.listen,
      interval: input.daemon?.interval ?? DEFAULT_CONFIG.daemon.interval,
      webhookPath: input.daemon?.webhookPath ?? DEFAULT_CONFIG.daemon.webhookPath,
      statusRetention: input.daemon?.statusRetention ?? DEFAULT_CONFIG.daemon.statusRetention,
    },
  };
  return {
    ...base,
    targets: resolveTargets(base, input.targets),
    declaredTargets: input.targets !== undefined,
  };
}

/**
 * Reads `file` (default `livekit-gitops.yaml` in cwd). A missing default file is fine (defaults);
 * a missing file named explicitly is an error. Never throws for bad input.
 */
export async function loadConfig(cwd: string, file?: string): Promise<ConfigResult> {
  const abs = path.resolve(cwd, file ?? CONFIG_FILE);
  const read = await readSpecFile(abs, cwd);
  if (!('text' in read)) {
    if (read.code === 'E_NOT_FOUND' && file === undefined) {
      return { config: applyDefaults({}), file: undefined, diagnostics: [] };
    }
    return { config: applyDefaults({}), file: abs, diagnostics: [read] };
  }
  const parsed = parseYaml(read.text, read.display);
  const diagnostics = [...parsed.diagnostics];
  const docs = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  const first = docs[0];
  if (diagnostics.length > 0 || !first)
    return { config: applyDefaults({}), file: abs, diagnostics };
  const locate = makeLocator(first.doc, parsed.lineCounter);
  if (docs.length > 1) {
    const second = docs[1]!;
    diagnostics.push(
      diagnostic('E_YAML_SYNTAX', 'the config file holds one document', {
        file: read.display,
        line: second.line,
        col: second.col,
      }),
    );
  }
  const validate = configValidator;
  if (!validate(first.value)) {
    diagnostics.push(...schemaDiagnostics(validate.errors ?? [], read.display, locate));
    return { config: applyDefaults({}), file: abs, diagnostics: sortDiagnostics(diagnostics) };
  }
  const input = first.value as ProjectConfigInput;
  if (input.daemon?.interval !== undefined && parseDuration(input.daemon.interval) === 0) {
    diagnostics.push(
      diagnostic(
        'E_DURATION',
        'daemon.interval must be longer than 0',
        { file: read.display, ...locate(['daemon', 'interval']) },
        { path: 'daemon.interval' },
      ),
    );
  }
  diagnostics.push(...gitSourceDiagnostics(input, read.display, locate));
  diagnostics.push(...notificationDiagnostics(input, read.display, locate));
  if (input.state?.backend === 'redis' && !input.state.redis) {
    diagnostics.push(
      diagnostic(
        'E_MISSING_FIELD',
        'state.backend is redis but state.redis.address is missing',
        { file: read.display, ...locate(['state']) },
        { path: 'state.redis' },
      ),
    );
  }
  const config = applyDefaults(input);
  if (config.declaredTargets)
    diagnostics.push(...checkTargets(config.targets, read.display, locate));
  return { config, file: abs, diagnostics: sortDiagnostics(diagnostics) };
}
