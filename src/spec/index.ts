/** The spec API other parts of the tool use. */
export { loadSpecs, checkSources, type LoadOptions } from './load.ts';
export { loadConfig, applyDefaults, CONFIG_FILE, type ConfigResult } from './config.ts';
export { DEFAULT_CONFIG } from './config-defaults.ts';
export type { ProjectConfig } from './config-schema.ts';
export {
  resolveSecret,
  collectSecretValues,
  redactSecrets,
  scrubSecrets,
  isSecretRef,
  SecretResolutionError,
  REDACTED,
  type SecretRef,
  type SecretContext,
} from './secrets.ts';
export { parseDuration } from './duration.ts';
export { KINDS, isKind, type Kind } from './kind-names.ts';
export { formatDiagnostic, type Diagnostic, type DiagnosticCode } from '../core/diagnostics.ts';
export type * from './types.ts';
