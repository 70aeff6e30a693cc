/** Builds the plan's start and stop changes for recording addresses (secrets masked). */
import type { LiveEgress } from '../../core/live.ts';
import type { JsonValue, ResourceChange } from '../../core/plan.ts';
import { REDACTED_REF, isSecretRefValue } from './secret-paths.ts';
import { RECORDING_KIND, type DesiredRecordingPolicy } from './desired.ts';

type Json = { [key: string]: JsonValue };

/** A copy with secret references replaced by a placeholder, and the dot paths where they were. */
export function maskRefs(value: JsonValue, path: string, paths: string[]): JsonValue {
  if (isSecretRefValue(value)) {
    paths.push(path);
    return REDACTED_REF;
  }
  if (Array.isArray(value)) return value.map((v, i) => maskRefs(v, `${path}.${i}`, paths));
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value))
      out[k] = maskRefs(v, path ? `${path}.${k}` : k, paths);
    return out;
  }
  return value;
}

export function startChange(
  policy: DesiredRecordingPolicy,
  room: string,
  address: string,
  reason: string,
  fingerprint: string,
): ResourceChange {
  const sensitivePaths: string[] = [];
  const request = maskRefs(policy.request, '', sensitivePaths) as Json;
  const change: ResourceChange = {
    address,
    kind: RECORDING_KIND,
    name: policy.name,
    action: 'start',
    actionReason: reason,
    before: null,
    after: { policy: policy.name, room, ...request },
    changedFields: [],
    sensitivePaths,
    payload: {
      policy: policy.name,
      room,
      request: policy.request,
      baseDir: policy.baseDir,
      fingerprint,
    },
  };
  if (policy.source) change.source = policy.source;
  return change;
}

export function stopChange(
  policy: string,
  room: string,
  address: string,
  egress: LiveEgress,
  reason: string,
  source?: DesiredRecordingPolicy['source'],
): ResourceChange {
  const change: ResourceChange = {
    address,
    kind: RECORDING_KIND,
    name: policy,
    action: 'stop',
    actionReason: reason,
    before: {
      policy,
      room,
      egressId: egress.egressId,
      status: egress.status,
      source: egress.source,
      ...(egress.startedAtMs > 0 ? { startedAt: new Date(egress.startedAtMs).toISOString() } : {}),
    },
    after: null,
    changedFields: [],
    sensitivePaths: [],
    payload: { policy, room, egressId: egress.egressId, disown: reason !== 'duplicate_egress' },
  };
  if (source) change.source = source;
  return change;
}
