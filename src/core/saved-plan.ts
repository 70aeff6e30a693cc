/**
 * Reading a saved plan (`plan --out plan.json`) back into a Plan. The file is the JSON plan of
 * render-json.ts; the authoritative part is its `livekit_gitops` section. Unknown keys are ignored
 * on a minor format bump, a new major is rejected (Terraform's rule).
 */
import { UsageError } from './errors.ts';
import type {
  ChangeAction,
  HeldChange,
  JsonValue,
  Plan,
  ResourceChange,
  SourceLocation,
} from './plan.ts';

const ACTIONS: readonly ChangeAction[] = [
  'create',
  'update',
  'delete',
  'replace',
  'start',
  'stop',
  'moderate',
];

type JsonObject = { [key: string]: JsonValue };

function fail(message: string): never {
  throw new UsageError(`not a livekit-gitops saved plan: ${message}`);
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(obj: JsonObject, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') fail(`${where}.${key} must be a string`);
  return value;
}

function strings(obj: JsonObject, key: string, where: string): string[] {
  const value = obj[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(`${where}.${key} must be a list of strings`);
  }
  return value;
}

function objectOrNull(obj: JsonObject, key: string, where: string): JsonObject | null {
  const value = obj[key];
  if (value === null) return null;
  if (!isObject(value)) fail(`${where}.${key} must be an object or null`);
  return value;
}

function action(obj: JsonObject, where: string): ChangeAction {
  const value = str(obj, 'action', where);
  const found = ACTIONS.find((a) => a === value);
  if (found === undefined) fail(`${where}.action "${value}" is not a known action`);
  return found;
}

function source(value: JsonValue | undefined, where: string): SourceLocation | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) fail(`${where}.source must be an object`);
  const { file, line, col } = value;
  if (typeof file !== 'string' || typeof line !== 'number' || typeof col !== 'number') {
    fail(`${where}.source must have file, line and col`);
  }
  return { file, line, col };
}

function parseChange(value: JsonValue, index: number): ResourceChange {
  const where = `livekit_gitops.changes[${index}]`;
  if (!isObject(value)) fail(`${where} must be an object`);
  const payload = value['payload'];
  if (!isObject(payload)) fail(`${where}.payload must be an object`);
  const change: ResourceChange = {
    address: str(value, 'address', where),
    kind: str(value, 'kind', where),
    name: str(value, 'name', where),
    action: action(value, where),
    actionReason: str(value, 'actionReason', where),
    before: objectOrNull(value, 'before', where),
    after: objectOrNull(value, 'after', where),
    changedFields: strings(value, 'changedFields', where),
    sensitivePaths: strings(value, 'sensitivePaths', where),
    payload,
  };
  const location = source(value['source'], where);
  if (location !== undefined) change.source = location;
  return change;
}

function parseHeld(value: JsonValue, index: number): HeldChange {
  const where = `livekit_gitops.held[${index}]`;
  if (!isObject(value)) fail(`${where} must be an object`);
  return {
    address: str(value, 'address', where),
    kind: str(value, 'kind', where),
    name: str(value, 'name', where),
    action: action(value, where),
    reason: str(value, 'reason', where),
  };
}

function list(obj: JsonObject, key: string, where: string): JsonValue[] {
  const value = obj[key];
  if (!Array.isArray(value)) fail(`${where}.${key} must be a list`);
  return value;
}

/** Accepts the parsed JSON (or its text); throws UsageError with what is wrong. */
export function parseSavedPlan(input: unknown): Plan {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as unknown;
    } catch {
      fail('the file is not JSON');
    }
  }
  if (!isObject(json)) fail('the top level must be an object');
  const version = json['format_version'];
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) fail('format_version is missing');
  if (version.split('.')[0] !== '1') {
    throw new UsageError(
      `saved plan format_version ${version} is newer than this livekit-gitops understands (1.x); make the plan with the same version`,
    );
  }
  const internal = json['livekit_gitops'];
  if (!isObject(internal)) fail('livekit_gitops section is missing');
  const where = 'livekit_gitops';
  const plan: Plan = {
    formatVersion: '1.0',
    toolVersion: str(json, 'tool_version', '$'),
    createdAt: str(internal, 'created_at', where),
    evaluatedAt: str(internal, 'evaluated_at', where),
    specHash: str(internal, 'spec_hash', where),
    liveHash: str(internal, 'live_hash', where),
    stateHash: str(internal, 'state_hash', where),
    changes: list(internal, 'changes', where).map(parseChange),
    held: list(internal, 'held', where).map(parseHeld),
    warnings: strings(json, 'warnings', '$'),
  };
  const target = internal['target'];
  if (target !== undefined) {
    if (typeof target !== 'string') fail(`${where}.target must be a string`);
    plan.target = target;
  }
  const protections = internal['protections'];
  if (protections !== undefined) {
    if (!isObject(protections)) fail(`${where}.protections must be an object`);
    plan.protections = {
      protect: strings(protections, 'protect', `${where}.protections`),
      unprotect: strings(protections, 'unprotect', `${where}.protections`),
    };
  }
  return plan;
}
