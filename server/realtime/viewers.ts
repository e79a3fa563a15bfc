// Who is looking at which room's chat, per connection. A user with two windows in a
// room is one viewer: entered on the first connection, left after the last. The
// interface is async so a shared store (Redis) can stand in for the in-memory one
// when several processes serve the same rooms.
import type { Viewer } from '../../src/shared/contract.js';

export interface ViewerRegistry {
  /** A connection was authenticated (lets a shared registry clean up after a dead process). */
  connectionOpened(connectionId: string, viewer: Viewer): Promise<void>;
  /** A connection is gone and has left its rooms. */
  connectionClosed(connectionId: string): Promise<void>;
  /** `firstForUser`: this connection made the user a viewer (announce them). */
  enter(roomId: string, viewer: Viewer, connectionId: string): Promise<{ firstForUser: boolean }>;
  /** `lastForUser`: the user's last connection left the room (announce them). */
  leave(roomId: string, userId: string, connectionId: string): Promise<{ lastForUser: boolean }>;
  /** Drops every connection of a user from a room; `wasViewing` if they were there. */
  removeUser(roomId: string, userId: string): Promise<{ wasViewing: boolean }>;
  clearRoom(roomId: string): Promise<void>;
  viewers(roomId: string): Promise<Viewer[]>;
  roomsOf(connectionId: string): Promise<string[]>;
  /** A shared registry renews this process's liveness from start() until stop(). */
  start?(): void;
  stop?(): Promise<void>;
}

interface ViewerEntry {
  username: string;
  connections: Set<string>;
}

export class InMemoryViewerRegistry implements ViewerRegistry {
  private readonly byRoom = new Map<string, Map<string, ViewerEntry>>();
  private readonly byConnection = new Map<string, Set<string>>();

  async connectionOpened(): Promise<void> {}

  async connectionClosed(connectionId: string): Promise<void> {
    this.byConnection.delete(connectionId);
  }

  async enter(roomId: string, viewer: Viewer, connectionId: string) {
    const room = this.byRoom.get(roomId) ?? new Map<string, ViewerEntry>();
    this.byRoom.set(roomId, room);
    const entry = room.get(viewer.userId) ?? { username: viewer.username, connections: new Set<string>() };
    const firstForUser = entry.connections.size === 0;
    entry.connections.add(connectionId);
    room.set(viewer.userId, entry);
    const rooms = this.byConnection.get(connectionId) ?? new Set<string>();
    rooms.add(roomId);
    this.byConnection.set(connectionId, rooms);
    return { firstForUser };
  }

  async leave(roomId: string, userId: string, connectionId: string) {
    this.byConnection.get(connectionId)?.delete(roomId);
    if (this.byConnection.get(connectionId)?.size === 0) this.byConnection.delete(connectionId);
    const room = this.byRoom.get(roomId);
    const entry = room?.get(userId);
    if (!room || !entry || !entry.connections.delete(connectionId)) return { lastForUser: false };
    if (entry.connections.size > 0) return { lastForUser: false };
    room.delete(userId);
    if (room.size === 0) this.byRoom.delete(roomId);
    return { lastForUser: true };
  }

  async removeUser(roomId: string, userId: string) {
    const entry = this.byRoom.get(roomId)?.get(userId);
    if (!entry) return { wasViewing: false };
    for (const connectionId of [...entry.connections]) await this.leave(roomId, userId, connectionId);
    return { wasViewing: true };
  }

  async clearRoom(roomId: string) {
    for (const [userId] of this.byRoom.get(roomId) ?? []) await this.removeUser(roomId, userId);
  }

  async viewers(roomId: string): Promise<Viewer[]> {
    return [...(this.byRoom.get(roomId) ?? [])].map(([userId, e]) => ({ userId, username: e.username }));
  }

  async roomsOf(connectionId: string): Promise<string[]> {
    return [...(this.byConnection.get(connectionId) ?? [])];
  }
}
