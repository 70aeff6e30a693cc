/**
 * Permission arithmetic for moderation: the fields a rule wants, the ones that differ from what a
 * participant has (field by field, publish sources as a set), and the whole permission UpdateParticipant
 * must send (it replaces the permission atomically). Pure.
 */
import type { ParticipantPermissions, TrackSource } from '../../core/live.ts';

/** The permission fields a rule can set and the server reports back. */
export type PermissionField = keyof ParticipantPermissions;

export const PERMISSION_FIELDS: readonly PermissionField[] = [
  'canSubscribe',
  'canPublish',
  'canPublishData',
  'canPublishSources',
  'hidden',
  'canUpdateMetadata',
  'canSubscribeMetrics',
  'canManageAgentSession',
];

/** A participant the server reports without a permission has LiveKit's zero value. */
export const NO_PERMISSION: ParticipantPermissions = {
  canSubscribe: false,
  canPublish: false,
  canPublishData: false,
  canPublishSources: [],
  hidden: false,
  canUpdateMetadata: false,
  canSubscribeMetrics: false,
  canManageAgentSession: false,
};

export type WantedPermissions = Partial<ParticipantPermissions>;

function sameSources(a: readonly TrackSource[], b: readonly TrackSource[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((s) => sb.has(s));
}

/** The wanted fields whose value differs from the current permission, in a fixed order. */
export function differingFields(
  current: ParticipantPermissions,
  wanted: WantedPermissions,
): PermissionField[] {
  return PERMISSION_FIELDS.filter((field) => {
    const want = wanted[field];
    if (want === undefined) return false;
    if (field === 'canPublishSources') {
      return !sameSources(current.canPublishSources, want as TrackSource[]);
    }
    return current[field] !== want;
  });
}

/** The full permission to send: what the participant has, with the wanted fields over it. */
export function mergedPermission(
  current: ParticipantPermissions,
  wanted: WantedPermissions,
): ParticipantPermissions {
  const out: ParticipantPermissions = {
    ...current,
    canPublishSources: [...current.canPublishSources],
  };
  for (const field of PERMISSION_FIELDS) {
    const want = wanted[field];
    if (want === undefined) continue;
    if (field === 'canPublishSources') out.canPublishSources = [...(want as TrackSource[])];
    else (out as unknown as Record<string, unknown>)[field] = want;
  }
  return out;
}

/** The permission fields of a spec's `permissions:` block that the server can report back. */
export function wantedFromSpec(spec: Readonly<Record<string, unknown>>): WantedPermissions {
  const out: Record<string, unknown> = {};
  for (const field of PERMISSION_FIELDS) {
    const v = spec[field];
    if (v !== undefined) out[field] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return out;
}
