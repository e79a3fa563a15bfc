// RoomEvents over Socket.IO: services announce what changed, this decides who hears it.
import type { Message, RoomRemovedReason, RoomSummary } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';
import type { RoomEvents } from '../services/events.js';
import { presentRoomDetail } from '../services/presenters.js';
import type { Presence } from './presence.js';
import { channels, type ParleyServer } from './types.js';

const memberChannels = (room: Room) => room.members.map((m) => channels.user(m.userId));

export class SocketRoomEvents implements RoomEvents {
  constructor(
    private readonly io: ParleyServer,
    private readonly presence: Presence,
  ) {}

  messageCreated(room: Room, message: Message): void {
    // Every member hears every message (for unread counts and notifications), viewing or not.
    this.io.to(memberChannels(room)).emit('message:new', { message });
  }

  roomAdded(userId: string, summary: RoomSummary): void {
    this.io.to(channels.user(userId)).emit('room:added', { room: summary });
  }

  roomUpdated(room: Room): void {
    this.io.to(memberChannels(room)).emit('room:updated', { room: presentRoomDetail(room) });
  }

  async roomRemoved(roomId: string, userIds: string[], reason: RoomRemovedReason, by?: string): Promise<void> {
    this.io.to(userIds.map(channels.user)).emit('room:removed', by ? { roomId, reason, by } : { roomId, reason });
    if (reason === 'deleted') await this.presence.roomDeleted(roomId, userIds);
    else await this.presence.usersRemoved(roomId, userIds);
  }
}
