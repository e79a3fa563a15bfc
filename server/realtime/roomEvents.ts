// RoomEvents over Socket.IO: services announce what changed, this decides who hears it.
import type { Message, RoomRemovedReason, RoomSummary } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';
import type { RoomEvents } from '../services/events.js';
import { presentRoomDetail } from '../services/presenters.js';
import { channels, type ParleyServer } from './types.js';
import type { ViewerRegistry } from './viewers.js';

const memberChannels = (room: Room) => room.members.map((m) => channels.user(m.userId));

export class SocketRoomEvents implements RoomEvents {
  constructor(
    private readonly io: ParleyServer,
    private readonly viewers: ViewerRegistry,
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

  async roomRemoved(roomId: string, userIds: string[], reason: RoomRemovedReason): Promise<void> {
    const userChannels = userIds.map(channels.user);
    this.io.to(userChannels).emit('room:removed', { roomId, reason });
    this.io.in(userChannels).socketsLeave(channels.view(roomId));
    if (reason === 'deleted') {
      await this.viewers.clearRoom(roomId);
      return;
    }
    for (const userId of userIds) {
      const viewer = (await this.viewers.viewers(roomId)).find((v) => v.userId === userId);
      const { wasViewing } = await this.viewers.removeUser(roomId, userId);
      if (wasViewing && viewer) this.io.to(channels.view(roomId)).emit('room:presence', { roomId, user: viewer, action: 'left' });
    }
  }

  sessionEnded(tokenHash: string, reason: 'logged_out' | 'expired'): void {
    const channel = channels.session(tokenHash);
    this.io.to(channel).emit('session:ended', { reason });
    this.io.in(channel).disconnectSockets(true);
  }
}
