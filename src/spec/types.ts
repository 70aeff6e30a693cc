import type { Diagnostic } from '../core/diagnostics.ts';
import type { AgentPolicySpec } from '../kinds/agent-policy/schema.ts';
import type { IngressSpec } from '../kinds/ingress/schema.ts';
import type { ModerationRuleSpec } from '../kinds/moderation-rule/schema.ts';
import type { RecordingPolicySpec } from '../kinds/recording-policy/schema.ts';
import type { RoleSpec } from '../kinds/role/schema.ts';
import type { RoomSpec } from '../kinds/room/schema.ts';
import type { SIPDispatchRuleSpec } from '../kinds/sip-dispatch-rule/schema.ts';
import type { SIPInboundTrunkSpec } from '../kinds/sip-inbound-trunk/schema.ts';
import type { SIPOutboundTrunkSpec } from '../kinds/sip-outbound-trunk/schema.ts';
import type { Kind } from './kind-names.ts';
import type { Locator } from './positions.ts';

export interface SourceLocation {
  /** For messages: relative to the loader's cwd when inside it (same as in diagnostics). */
  file: string;
  /** Absolute path of the file (resolve `fromFile` secrets against its directory). */
  absolute: string;
  line: number;
  col: number;
}

interface SpecBase<K extends Kind, S> {
  apiVersion: 'livekit-gitops/v1';
  kind: K;
  name: string;
  labels: Record<string, string>;
  spec: S;
  /** Where the document starts. */
  source: SourceLocation;
  /** Index of the document within its file (0-based). */
  index: number;
  /**
   * line:col of a node inside this document, e.g. `locate(['spec', 'maxParticipants'])`. The
   * parsed document is not kept: the first call parses the file again.
   */
  locate: Locator;
}

export type LoadedRoom = SpecBase<'Room', RoomSpec>;
export type LoadedRecordingPolicy = SpecBase<'RecordingPolicy', RecordingPolicySpec>;
export type LoadedModerationRule = SpecBase<'ModerationRule', ModerationRuleSpec>;
export type LoadedRole = SpecBase<'Role', RoleSpec>;
export type LoadedIngress = SpecBase<'Ingress', IngressSpec>;
export type LoadedSIPInboundTrunk = SpecBase<'SIPInboundTrunk', SIPInboundTrunkSpec>;
export type LoadedSIPOutboundTrunk = SpecBase<'SIPOutboundTrunk', SIPOutboundTrunkSpec>;
export type LoadedSIPDispatchRule = SpecBase<'SIPDispatchRule', SIPDispatchRuleSpec>;
export type LoadedAgentPolicy = SpecBase<'AgentPolicy', AgentPolicySpec>;

/** A spec that passed the schema, discriminated on `kind`. */
export type LoadedSpec =
  | LoadedRoom
  | LoadedRecordingPolicy
  | LoadedModerationRule
  | LoadedRole
  | LoadedIngress
  | LoadedSIPInboundTrunk
  | LoadedSIPOutboundTrunk
  | LoadedSIPDispatchRule
  | LoadedAgentPolicy;

export type SpecOfKind<K extends Kind> = Extract<LoadedSpec, { kind: K }>;

export interface LoadResult {
  /** Specs that passed the schema. Semantic errors do not remove specs; check `diagnostics`. */
  specs: LoadedSpec[];
  /** Sorted: errors first, then warnings. */
  diagnostics: Diagnostic[];
  /** Files read, sorted. */
  files: string[];
}

export type {
  AgentPolicySpec,
  IngressSpec,
  ModerationRuleSpec,
  RecordingPolicySpec,
  RoleSpec,
  RoomSpec,
  SIPDispatchRuleSpec,
  SIPInboundTrunkSpec,
  SIPOutboundTrunkSpec,
};
