/**
 * What a Role means in LiveKit's two vocabularies: the VideoGrant of a join token (`token --role`)
 * and the ParticipantPermission a moderation `role:` effect sets on a participant already in a room.
 * Pure.
 */
import type { ParticipantPermissions, TrackSource } from '../../core/live.ts';
import type { Grants, RoleSpec } from './schema.ts';

/** The VideoGrant fields of a join token for `room` (roomJoin on unless the Role turns it off). */
export interface JoinGrants extends Grants {
  room: string;
  roomJoin: boolean;
}

export function joinGrantsOf(role: RoleSpec, room: string): JoinGrants {
  return { ...role.grants, roomJoin: role.grants.roomJoin ?? true, room };
}

/**
 * The permission a participant holding a token with these grants has. LiveKit's defaults apply to
 * fields the Role leaves out (canPublish, canSubscribe and canPublishData default to true; the rest
 * to false; no canPublishSources means every source), so a moderated participant ends up exactly
 * as if they had joined with the Role's token.
 */
export function permissionsOfGrants(grants: Grants): ParticipantPermissions {
  return {
    canSubscribe: grants.canSubscribe ?? true,
    canPublish: grants.canPublish ?? true,
    canPublishData: grants.canPublishData ?? true,
    canPublishSources: [...(grants.canPublishSources ?? [])] as TrackSource[],
    hidden: grants.hidden ?? false,
    canUpdateMetadata: grants.canUpdateOwnMetadata ?? false,
    canSubscribeMetrics: grants.canSubscribeMetrics ?? false,
    canManageAgentSession: grants.canManageAgentSession ?? false,
  };
}
