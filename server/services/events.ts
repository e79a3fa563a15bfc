// What the services announce after a change has been stored. The realtime layer
// implements this with Socket.IO; services never touch sockets themselves.
import type { Message, RoomRemovedReason, RoomSummary } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';

export interface RoomEvents {
  messageCreated(room: Room, message: Message): void;
  /** `summary` is the room as the added user will list it. */
  roomAdded(userId: string, summary: RoomSummary): void;
  roomUpdated(room: Room): void;
  /** Takes the users out of the room: their lists drop it and their chat views close. `by`: the actor's username. */
  roomRemoved(roomId: string, userIds: string[], reason: RoomRemovedReason, by?: string): Promise<void>;
}

/** What AuthService announces: a session ended, so its connections must end too. */
export interface SessionEvents {
  sessionEnded(tokenHash: string, reason: 'logged_out' | 'expired'): void;
}

/**
 * Room changes are written while every process holds the room: no send to it is stored
 * meanwhile, and every process has forgotten its cached copy before the change is
 * answered or pushed (realtime/roomChanges.ts). `write` returns whether it committed.
 */
export interface RoomChanges {
  change<T>(roomId: string, write: () => Promise<T>): Promise<T>;
}
