/**
 * The plan: what `plan` prints and saves and what `apply` executes. Pure data; the renderers
 * (text, JSON in Terraform's shape, markdown) and the assembler live beside it in src/core.
 */

/** Terraform-style actions plus LiveKit's verbs: egress start/stop and moderation. */
export type ChangeAction =
  'create' | 'update' | 'delete' | 'replace' | 'start' | 'stop' | 'moderate';

/** The plan symbols of design.md section 4. */
export const actionSymbol: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  start: '>',
  stop: 'x',
  moderate: '!',
};

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** A JSON-compatible value (what `before`/`after` hold). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ResourceChange {
  /** Stable, unique within a plan: `room.<name>`, `recording.<policy>.<room>`, `moderation.<rule>.<room>.<identity>`, ... */
  address: string;
  /** The spec kind that caused the change (`Room`, `RecordingPolicy`, ...). */
  kind: string;
  /** The object's name (room name, policy name, ...). */
  name: string;
  action: ChangeAction;
  /** Why, in Terraform's vocabulary where one exists: `replace_because_cannot_update`, `delete_because_no_resource_config`, ... */
  actionReason: string;
  /** Live values before the change (null when it does not exist). Secrets already replaced by a placeholder. */
  before: { [key: string]: JsonValue } | null;
  /** Desired values after the change (null when deleted). Secrets already replaced by a placeholder. */
  after: { [key: string]: JsonValue } | null;
  /** Top-level field names that differ (for `~` and `-/+`). */
  changedFields: string[];
  /** Paths (dot-separated) holding secrets, for the JSON plan's sensitive masks. */
  sensitivePaths: string[];
  /** Where the spec that asked for it is declared (absent for prunes of removed specs). */
  source?: SourceLocation;
  /** Everything the executor needs, kind-specific; never rendered. Secrets appear only as references. */
  payload: { [key: string]: JsonValue };
}

/** A change that the plan knows about but will not make now, and why (e.g. a replace while occupied). */
export interface HeldChange {
  address: string;
  kind: string;
  name: string;
  action: ChangeAction;
  reason: string;
}

export interface Plan {
  formatVersion: '1.0';
  toolVersion: string;
  /** ISO time the plan was made. */
  createdAt: string;
  /** ISO time the schedules were evaluated at (`--at`), usually equal to createdAt. */
  evaluatedAt: string;
  /** Hash of the specs the plan was made from (secrets by reference, not value). */
  specHash: string;
  /** Hash of the observed live state the plan read (only the fields that decide changes). */
  liveHash: string;
  /** Hash of the state inventory (owned objects and protections) the plan read. */
  stateHash: string;
  changes: ResourceChange[];
  held: HeldChange[];
  warnings: string[];
  /**
   * State-only intents the executor records on apply even when nothing in LiveKit changes:
   * addresses whose spec now declares preventDestroy (protect) or explicitly no longer does
   * (unprotect). Removing a spec never unprotects (design.md section 5).
   */
  protections?: { protect: string[]; unprotect: string[] };
  /** The declared target (livekit-gitops.yaml `targets:`) the plan is for; apply refuses any other. */
  target?: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  /** A replace counts as one create and one delete (as Terraform counts it); start, stop and moderate count as other. */
  other: number;
}
