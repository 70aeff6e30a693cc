/**
 * The machine plan, in the shape of Terraform's JSON plan (docs/plan-format.md): readers written
 * for `terraform show -json` find `format_version`, `resource_changes[].change.actions` etc. where
 * they expect them. Our own section `livekit_gitops` carries the hashes and the full internal
 * changes, so the same file is the saved plan `apply` executes (see saved-plan.ts).
 */
import type { ChangeAction, JsonValue, Plan, ResourceChange } from './plan.ts';
import { maskSensitive, scrubJson } from './redact.ts';

export const JSON_FORMAT_VERSION = '1.0';

/** Terraform's action lists; our verbs keep their own name in `livekit_action`. */
export const terraformActions: Record<ChangeAction, string[]> = {
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
  replace: ['delete', 'create'],
  start: ['create'],
  stop: ['delete'],
  moderate: ['update'],
};

export interface JsonRenderOptions {
  secretValues?: readonly string[];
}

type JsonObject = { [key: string]: JsonValue };

/** Terraform's sensitive mask: a tree parallel to the value with `true` at secret leaves, else false. */
export function sensitiveMask(value: JsonObject | null, paths: readonly string[]): JsonValue {
  if (value === null || paths.length === 0) return false;
  const mask: JsonObject = {};
  for (const path of paths) {
    const parts = path.split('.');
    let node = mask;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = true;
        return;
      }
      const next = node[part];
      if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next;
      else {
        const created: JsonObject = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return mask;
}

function resourceChange(change: ResourceChange): JsonObject {
  const out: JsonObject = {
    address: change.address,
    mode: 'managed',
    type: change.kind,
    name: change.name,
    change: {
      actions: terraformActions[change.action],
      before: maskSensitive(change.before, change.sensitivePaths),
      after: maskSensitive(change.after, change.sensitivePaths),
      before_sensitive: sensitiveMask(change.before, change.sensitivePaths),
      after_sensitive: sensitiveMask(change.after, change.sensitivePaths),
    },
    livekit_action: change.action,
  };
  if (change.actionReason !== '') out['action_reason'] = change.actionReason;
  return out;
}

/** The internal change as stored for a saved plan (payload included; it holds secret references only). */
function internalChange(change: ResourceChange): JsonObject {
  const out: JsonObject = {
    address: change.address,
    kind: change.kind,
    name: change.name,
    action: change.action,
    actionReason: change.actionReason,
    before: maskSensitive(change.before, change.sensitivePaths),
    after: maskSensitive(change.after, change.sensitivePaths),
    changedFields: change.changedFields,
    sensitivePaths: change.sensitivePaths,
    payload: change.payload,
  };
  if (change.source !== undefined) {
    out['source'] = { file: change.source.file, line: change.source.line, col: change.source.col };
  }
  return out;
}

export function renderPlanJson(plan: Plan, options: JsonRenderOptions = {}): JsonObject {
  const held: JsonValue[] = plan.held.map((h) => ({
    address: h.address,
    type: h.kind,
    name: h.name,
    actions: terraformActions[h.action],
    livekit_action: h.action,
    reason: h.reason,
  }));
  const internal: JsonObject = {
    spec_hash: plan.specHash,
    live_hash: plan.liveHash,
    state_hash: plan.stateHash,
    created_at: plan.createdAt,
    evaluated_at: plan.evaluatedAt,
    changes: plan.changes.map(internalChange),
    held: plan.held.map((h) => ({ ...h })),
  };
  if (plan.protections !== undefined) {
    internal['protections'] = {
      protect: [...plan.protections.protect],
      unprotect: [...plan.protections.unprotect],
    };
  }
  if (plan.target !== undefined) internal['target'] = plan.target;
  const document: JsonObject = {
    format_version: JSON_FORMAT_VERSION,
    tool_version: plan.toolVersion,
    timestamp: plan.createdAt,
    applyable: plan.changes.length > 0,
    complete: true,
    errored: false,
    resource_changes: plan.changes.map(resourceChange),
    held,
    warnings: [...plan.warnings],
    livekit_gitops: internal,
  };
  return scrubJson(document, options.secretValues) as JsonObject;
}
