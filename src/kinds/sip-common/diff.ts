/**
 * The pure diff of one persistent object: declared fields against the live object's, secrets by
 * the hash recorded in state. Ownership rules as for rooms (docs/ownership.md): an object the tool
 * does not own is never changed or deleted, and deletes happen only with prune.
 */
import { canonicalJson } from '../../core/canonical-json.ts';
import type { DiffContext, DiffOutcome } from '../../core/kind-planner.ts';
import type { ChangeAction, HeldChange, ResourceChange } from '../../core/plan.ts';
import { addressOf, type DesiredPersistent, type Fields, type PersistentKind } from './kind.ts';
import { maskSecrets, SENSITIVE_VALUE, type Json } from './secrets.ts';

export interface PersistentDiffContext extends DiffContext {
  /** The secret hash recorded in state when the tool last wrote this object. */
  recordedSecretHash: string | undefined;
}

const NOT_OWNED =
  'an object of this name exists but livekit-gitops did not create it (names are not unique), so it is left as is';

/** Fields that differ: only those the user wrote, compared in their normalised form. */
export function changedFields(declared: Fields, live: Fields): string[] {
  return Object.keys(declared)
    .filter((k) => canonicalJson(declared[k]) !== canonicalJson(live[k] ?? null))
    .sort();
}

function secretFieldNames(desired: DesiredPersistent): string[] {
  return [...new Set(desired.secretPaths.map((p) => p.split('.')[0] ?? p))].sort();
}

export function diffPersistent<Live>(
  def: PersistentKind<Live>,
  desired: DesiredPersistent | undefined,
  live: Live | undefined,
  ctx: PersistentDiffContext,
): DiffOutcome {
  const name = desired?.name ?? (live === undefined ? '' : def.name(live));
  const withWarning = (o: DiffOutcome): DiffOutcome =>
    desired !== undefined && desired.unsupported.length > 0
      ? {
          ...o,
          warning: `${addressOf(def.prefix, name)}: ${desired.unsupported.join(', ')} not reconciled yet (the LiveKit adapter does not send them)`,
        }
      : o;
  const hold = (action: ChangeAction, reason: string): HeldChange => ({
    address: addressOf(def.prefix, name),
    kind: def.kind,
    name,
    action,
    reason,
  });
  if (desired === undefined) {
    if (live === undefined || !ctx.owned) return {};
    if (!ctx.prune)
      return { held: hold('delete', 'spec removed; prune is off (use --prune to delete it)') };
    if (ctx.protected) return { held: hold('delete', 'protected by preventDestroy in state') };
    return {
      change: makeChange(def, 'delete', undefined, live, 'delete_because_no_resource_config', []),
    };
  }
  if (live === undefined) {
    return withWarning({ change: makeChange(def, 'create', desired, undefined, '', []) });
  }
  const fields = changedFields(desired.fields, def.observed(live));
  if (desired.secretHash !== undefined && desired.secretHash !== ctx.recordedSecretHash) {
    fields.push(...secretFieldNames(desired).filter((f) => !fields.includes(f)));
  }
  if (fields.length === 0) return withWarning({});
  const immutable = fields.filter((f) => def.immutable.includes(f));
  const action: ChangeAction = immutable.length > 0 ? 'replace' : 'update';
  if (!ctx.owned) return withWarning({ held: hold(action, NOT_OWNED) });
  if (action === 'replace' && ctx.protected) {
    return withWarning({
      held: hold(
        'replace',
        `protected by preventDestroy: ${immutable.join(', ')} cannot change in place`,
      ),
    });
  }
  const reason = action === 'replace' ? 'replace_because_cannot_update' : '';
  return withWarning({ change: makeChange(def, action, desired, live, reason, fields.sort()) });
}

function makeChange<Live>(
  def: PersistentKind<Live>,
  action: ChangeAction,
  desired: DesiredPersistent | undefined,
  live: Live | undefined,
  actionReason: string,
  changed: string[],
): ResourceChange {
  const name = desired?.name ?? (live === undefined ? '' : def.name(live));
  const before: Json | null =
    live === undefined
      ? null
      : { id: def.id(live), ...def.observed(live), ...(def.outputs ? def.outputs(live) : {}) };
  const after =
    desired === undefined || action === 'delete' ? null : (maskSecrets(desired.spec) as Json);
  const payload: Json = { name };
  if (live !== undefined) payload['serverId'] = def.id(live);
  if (desired !== undefined && action !== 'delete') {
    payload['spec'] = desired.spec;
    payload['baseDir'] = desired.baseDir;
    payload['match'] =
      desired.secretHash === undefined
        ? desired.match
        : { ...desired.match, secretHash: desired.secretHash };
    payload['fields'] = desired.fields;
  }
  const change: ResourceChange = {
    address: addressOf(def.prefix, name),
    kind: def.kind,
    name,
    action,
    actionReason,
    before,
    after,
    changedFields: changed,
    sensitivePaths: desired === undefined ? [] : desired.secretPaths,
    payload,
  };
  if (desired !== undefined) change.source = desired.source;
  return change;
}

export { SENSITIVE_VALUE };
