/**
 * The kinds' document schemas (typebox), for the build-time generators and tests. Which kinds exist
 * is the registry's (src/kinds/index.ts); the generator refuses a registered kind without a schema
 * here, and a schema here for a kind not registered.
 */
import type { TSchema } from 'typebox';
import { AgentPolicySpec } from '../kinds/agent-policy/schema.ts';
import { IngressSpec } from '../kinds/ingress/schema.ts';
import { ModerationRuleSpec } from '../kinds/moderation-rule/schema.ts';
import { RecordingPolicySpec } from '../kinds/recording-policy/schema.ts';
import { RoleSpec } from '../kinds/role/schema.ts';
import { RoomName, RoomSpec } from '../kinds/room/schema.ts';
import { SIPDispatchRuleSpec } from '../kinds/sip-dispatch-rule/schema.ts';
import { SIPInboundTrunkSpec } from '../kinds/sip-inbound-trunk/schema.ts';
import { SIPOutboundTrunkSpec } from '../kinds/sip-outbound-trunk/schema.ts';
import type { Kind } from './kind-names.ts';
import { documentSchema, ObjectName } from './schema-common.ts';

export const DOCUMENT_SCHEMAS: Record<Kind, TSchema> = {
  Room: documentSchema(
    'Room',
    RoomSpec,
    RoomName,
    'A LiveKit room that must exist (within its schedule windows).',
  ),
  RecordingPolicy: documentSchema(
    'RecordingPolicy',
    RecordingPolicySpec,
    ObjectName,
    'Starts and stops egress for the selected rooms.',
  ),
  ModerationRule: documentSchema(
    'ModerationRule',
    ModerationRuleSpec,
    ObjectName,
    'Permissions, mutes and removals enforced on the selected rooms.',
  ),
  Role: documentSchema(
    'Role',
    RoleSpec,
    ObjectName,
    'A named grant set for tokens and moderation.',
  ),
  Ingress: documentSchema(
    'Ingress',
    IngressSpec,
    ObjectName,
    'A LiveKit ingress (RTMP, WHIP or URL).',
  ),
  SIPInboundTrunk: documentSchema(
    'SIPInboundTrunk',
    SIPInboundTrunkSpec,
    ObjectName,
    'A SIP inbound trunk.',
  ),
  SIPOutboundTrunk: documentSchema(
    'SIPOutboundTrunk',
    SIPOutboundTrunkSpec,
    ObjectName,
    'A SIP outbound trunk.',
  ),
  SIPDispatchRule: documentSchema(
    'SIPDispatchRule',
    SIPDispatchRuleSpec,
    ObjectName,
    'A SIP dispatch rule.',
  ),
  AgentPolicy: documentSchema(
    'AgentPolicy',
    AgentPolicySpec,
    ObjectName,
    'Dispatches an agent into the selected live rooms.',
  ),
};
