import type { LiveParticipant, LiveTrack, ParticipantPermissions } from '../../../src/core/live.ts';
import type { StateDocument } from '../../../src/core/inventory.ts';
import { emptyState } from '../../../src/core/inventory.ts';
import type { ModerationRuleDef } from '../../../src/kinds/moderation-rule/decide.ts';
import type { ModerationRuleSpec } from '../../../src/kinds/moderation-rule/schema.ts';

/** The permission a default test token (publish + subscribe + data) gives. */
export const PUBLISHER: ParticipantPermissions = {
  canSubscribe: true,
  canPublish: true,
  canPublishData: true,
  canPublishSources: [],
  hidden: false,
  canUpdateMetadata: false,
  canSubscribeMetrics: false,
  canManageAgentSession: false,
};

export function aTrack(o: Partial<LiveTrack> = {}): LiveTrack {
  return { sid: 'TR_mic', name: 'mic', type: 'audio', source: 'microphone', muted: false, ...o };
}

let seq = 0;
export function aParticipant(identity: string, o: Partial<LiveParticipant> = {}): LiveParticipant {
  seq += 1;
  return {
    sid: `PA_${identity}`,
    identity,
    name: identity,
    kind: 'standard',
    state: 'active',
    metadata: '',
    attributes: {},
    joinedAtMs: 1_000 + seq,
    permission: { ...PUBLISHER },
    tracks: [],
    isPublisher: false,
    ...o,
  };
}

export function aRule(name: string, spec: Partial<ModerationRuleSpec> = {}): ModerationRuleDef {
  return {
    name,
    spec: { rooms: { names: ['town-hall'] }, ...spec },
    source: { file: 'rooms/moderation.yaml', line: 1, col: 1 },
  };
}

export function aState(moderated?: StateDocument['moderated']): StateDocument {
  const s = emptyState('lineage-test');
  if (moderated !== undefined) s.moderated = moderated;
  return s;
}
