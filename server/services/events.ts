// What the services announce after a change has been stored. The realtime layer
// implements this with Socket.IO; services never touch sockets themselves.
import type { Message, RoomRemovedReason, RoomSummary } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';

export interface RoomEvents {
  messageCreated(room: Room, message: Message): void;
  /** `summary` is the room as the added user will list it. */
  roomAdded(userId: string, summary: RoomSummary): void;
  roomUpdated(room: Room): void;
  /** Takes the users out of the room: their lists drop it and their chat views close. */
  roomRemoved(roomId: string, userIds: string[], reason: RoomRemovedReason): Promise<void>;
  sessionEnded(tokenHash: string, reason: 'logged_out' | 'expired'): void;
}

/**
 * A room's name or members changed, or it was deleted: every process must forget what it
 * cached of the room, and finish the sends that already checked the old members, before
 * the change is answered or pushed. Resolves when they all have (or could not be reached).
 */
export interface RoomChanges {
  roomChanged(roomId: string): Promise<void>;
}
