/** Rooms and participants on RoomService. */
import { RoomAgentDispatch } from '@livekit/protocol';
import type { CreateOptions, ParticipantPermission } from 'livekit-server-sdk';
import type { Caller } from './client-call.ts';
import { toLiveParticipant, toLiveRoom, trackSourceNumber } from './convert.ts';
import type { CreateRoomInput, LiveKitPort, UpdateParticipantInput } from './port.ts';

export type RoomMethods = Pick<
  LiveKitPort,
  | 'listRooms'
  | 'createRoom'
  | 'deleteRoom'
  | 'updateRoomMetadata'
  | 'listParticipants'
  | 'updateParticipant'
  | 'mutePublishedTrack'
  | 'removeParticipant'
>;

function createRoomOptions(i: CreateRoomInput): CreateOptions {
  const o: CreateOptions = { name: i.name };
  if (i.emptyTimeout !== undefined) o.emptyTimeout = i.emptyTimeout;
  if (i.departureTimeout !== undefined) o.departureTimeout = i.departureTimeout;
  if (i.maxParticipants !== undefined) o.maxParticipants = i.maxParticipants;
  if (i.metadata !== undefined) o.metadata = i.metadata;
  if (i.minPlayoutDelay !== undefined) o.minPlayoutDelay = i.minPlayoutDelay;
  if (i.maxPlayoutDelay !== undefined) o.maxPlayoutDelay = i.maxPlayoutDelay;
  if (i.syncStreams !== undefined) o.syncStreams = i.syncStreams;
  if (i.agents !== undefined) {
    o.agents = i.agents.map(
      (a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' }),
    );
  }
  return o;
}

function permission(p: UpdateParticipantInput['permission']): Partial<ParticipantPermission> {
  const out: Partial<ParticipantPermission> = {};
  if (!p) return out;
  for (const k of [
    'canSubscribe',
    'canPublish',
    'canPublishData',
    'hidden',
    'canUpdateMetadata',
    'canSubscribeMetrics',
    'canManageAgentSession',
  ] as const) {
    const v = p[k];
    if (v !== undefined) out[k] = v;
  }
  if (p.canPublishSources) out.canPublishSources = p.canPublishSources.map(trackSourceNumber);
  return out;
}

export function roomMethods({ call, deleting }: Caller): RoomMethods {
  return {
    async listRooms(names) {
      const rooms = await call('RoomService.ListRooms', 'retry', (c) =>
        c.room.listRooms(names ? [...names] : undefined),
      );
      return rooms.map(toLiveRoom);
    },
    async createRoom(input) {
      const room = await call('RoomService.CreateRoom', 'retry', (c) =>
        c.room.createRoom(createRoomOptions(input)),
      );
      return toLiveRoom(room);
    },
    deleteRoom: (name) => deleting('RoomService.DeleteRoom', (c) => c.room.deleteRoom(name)),
    async updateRoomMetadata(name, metadata) {
      const room = await call('RoomService.UpdateRoomMetadata', 'retry', (c) =>
        c.room.updateRoomMetadata(name, metadata),
      );
      return toLiveRoom(room);
    },

    async listParticipants(room) {
      const ps = await call('RoomService.ListParticipants', 'retry', (c) =>
        c.room.listParticipants(room),
      );
      return ps.map(toLiveParticipant);
    },
    async updateParticipant(room, identity, input) {
      const p = await call('RoomService.UpdateParticipant', 'retry', (c) =>
        c.room.updateParticipant(room, identity, {
          ...(input.permission !== undefined ? { permission: permission(input.permission) } : {}),
          ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
          ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
          ...(input.name !== undefined ? { name: input.name } : {}),
        }),
      );
      return toLiveParticipant(p);
    },
    async mutePublishedTrack(room, identity, trackSid, muted) {
      await call('RoomService.MutePublishedTrack', 'retry', (c) =>
        c.room.mutePublishedTrack(room, identity, trackSid, muted),
      );
    },
    async removeParticipant(room, identity) {
      // Not retried: a retry after a lost success would report not_found for a done job.
      await call('RoomService.RemoveParticipant', 'once', (c) =>
        c.room.removeParticipant(room, identity),
      );
    },
  };
}
