/**
 * Constants of the spec format, apart from the typebox schemas that use them: the loader needs
 * these at run time, the schemas only when generating (see src/spec/validators.ts).
 */
export const API_VERSION = 'livekit-gitops/v1';
export const SCHEMA_BASE = 'https://livekit-gitops.dev/schemas/';

/** Durations such as `90m`, `1h30m`, `45s`, `2d`, `500ms`. */
export const DURATION_PATTERN = '^([0-9]+(ms|s|m|h|d))+$';
export const ENV_NAME_PATTERN = '^[A-Z_][A-Z0-9_]*$';
export const UINT32_MAX = 4_294_967_295;
/** LiveKit's limit on room names and participant identities. */
export const NAME_MAX = 256;

/** `SIPInboundTrunk` -> `sip-inbound-trunk` (schema and import file names). */
export function kebab(kind: string): string {
  return kind
    .replace(/SIP/g, 'Sip')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}
