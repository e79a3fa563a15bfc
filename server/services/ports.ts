// What the services need from storage, named by the services: the repositories in
// persistence/ provide these, and unit tests hand the services in-memory fakes
// (services/testing/fakes.ts) so the rules run without a database.
import type { PendingCleanup, RoomCleanup } from '../persistence/roomCleanups.js';
import type { RoomHead } from '../persistence/roomHeads.js';
import type { Room } from '../domain/membership.js';
import type { StoredSession } from '../persistence/sessions.js';
import type { NewUserResult, User } from '../persistence/users.js';

export interface RoomStore {
  insert(room: Room): Promise<void>;
  findById(id: string): Promise<Room | null>;
  listForUser(userId: string): Promise<Room[]>;
  /** Stores `next` only if the room is still at `expectedVersion`. */
  compareAndSet(next: Room, expectedVersion: number): Promise<boolean>;
  /** Deletes the room only if it is still at `expectedVersion`. */
  deleteIfUnchanged(id: string, expectedVersion: number): Promise<boolean>;
}

export interface UserStore {
  findByUsername(username: string): Promise<User | null>;
  findByLogin(login: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  conflictFor(username: string, email: string): Promise<'username' | 'email' | null>;
  create(input: { username: string; email: string; passwordHash: string }): Promise<NewUserResult>;
}

export interface SessionStore {
  create(tokenHash: string, userId: string, expiresAt: Date): Promise<void>;
  findActive(tokenHash: string, now: Date): Promise<StoredSession | null>;
  delete(tokenHash: string): Promise<boolean>;
  deleteExpired(now: Date): Promise<number>;
}

export interface RoomHeadStore {
  forRooms(roomIds: string[]): Promise<Map<string, RoomHead>>;
}

export interface ReadMarkerStore {
  forUser(userId: string, roomIds: string[]): Promise<Map<string, number>>;
}

export interface RoomCleanupStore {
  record(cleanup: RoomCleanup): Promise<void>;
  pending(): Promise<PendingCleanup[]>;
  done(cleanup: RoomCleanup): Promise<void>;
}
