// In-memory stand-ins for the services' ports (services/ports.ts, services/events.ts),
// for unit tests of the services only: integration tests run the real repositories on
// a real database. Each keeps what a test needs to look at.
import type { Message, RoomRemovedReason, RoomSummary } from '../../../src/shared/contract.js';
import type { Room } from '../../domain/membership.js';
import type { Logger } from '../../logger.js';
import type { PendingCleanup, RoomCleanup } from '../../persistence/roomCleanups.js';
import type { RoomHead } from '../../persistence/roomHeads.js';
import type { StoredSession } from '../../persistence/sessions.js';
import type { NewUserResult, User } from '../../persistence/users.js';
import type { RoomChanges, RoomEvents, SessionEvents } from '../events.js';
import type { ReadMarkerStore, RoomCleanupStore, RoomHeadStore, RoomStore, SessionStore, UserStore } from '../ports.js';

export class FakeRoomStore implements RoomStore {
  readonly rooms = new Map<string, Room>();

  async insert(room: Room): Promise<void> {
    this.rooms.set(room.id, structuredClone(room));
  }

  async findById(id: string): Promise<Room | null> {
    const room = this.rooms.get(id);
    return room ? structuredClone(room) : null;
  }

  async listForUser(userId: string): Promise<Room[]> {
    return [...this.rooms.values()].filter((r) => r.members.some((m) => m.userId === userId)).map((r) => structuredClone(r));
  }

  async compareAndSet(next: Room, expectedVersion: number): Promise<boolean> {
    if (this.rooms.get(next.id)?.version !== expectedVersion) return false;
    this.rooms.set(next.id, { ...structuredClone(next), version: expectedVersion + 1 });
    return true;
  }

  async deleteIfUnchanged(id: string, expectedVersion: number): Promise<boolean> {
    if (this.rooms.get(id)?.version !== expectedVersion) return false;
    return this.rooms.delete(id);
  }
}

export class FakeUserStore implements UserStore {
  constructor(readonly users: User[] = []) {}

  async findByUsername(username: string): Promise<User | null> {
    return this.users.find((u) => u.username.toLowerCase() === username.toLowerCase()) ?? null;
  }

  async findByLogin(login: string): Promise<User | null> {
    const lower = login.toLowerCase();
    return this.users.find((u) => u.username.toLowerCase() === lower || u.email.toLowerCase() === lower) ?? null;
  }

  async findById(id: string): Promise<User | null> {
    return this.users.find((u) => u.id === id) ?? null;
  }

  async conflictFor(username: string, email: string): Promise<'username' | 'email' | null> {
    if (await this.findByLogin(username)) return 'username';
    return (await this.findByLogin(email)) ? 'email' : null;
  }

  async create(input: { username: string; email: string; passwordHash: string }): Promise<NewUserResult> {
    const conflict = await this.conflictFor(input.username, input.email);
    if (conflict) return { ok: false, conflict };
    const user = { id: (this.users.length + 1).toString(16).padStart(24, '0'), ...input };
    this.users.push(user);
    return { ok: true, user };
  }
}

export class FakeSessionStore implements SessionStore {
  readonly sessions = new Map<string, StoredSession>();

  async create(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
    this.sessions.set(tokenHash, { tokenHash, userId, expiresAt });
  }

  async findActive(tokenHash: string, now: Date): Promise<StoredSession | null> {
    const session = this.sessions.get(tokenHash);
    return session && session.expiresAt > now ? session : null;
  }

  async delete(tokenHash: string): Promise<boolean> {
    return this.sessions.delete(tokenHash);
  }

  async deleteExpired(now: Date): Promise<number> {
    let removed = 0;
    for (const [hash, session] of this.sessions) if (session.expiresAt <= now && this.sessions.delete(hash)) removed++;
    return removed;
  }
}

/** Every session ended, in order. */
export class RecordingSessionEvents implements SessionEvents {
  readonly ended: Array<{ tokenHash: string; reason: string }> = [];

  sessionEnded(tokenHash: string, reason: 'logged_out' | 'expired'): void {
    this.ended.push({ tokenHash, reason });
  }
}

export class FakeHeads implements RoomHeadStore {
  readonly heads = new Map<string, RoomHead>();

  async forRooms(roomIds: string[]): Promise<Map<string, RoomHead>> {
    return new Map(roomIds.flatMap((id) => (this.heads.has(id) ? [[id, this.heads.get(id)!] as const] : [])));
  }
}

export class FakeReadMarkers implements ReadMarkerStore {
  readonly markers = new Map<string, number>();

  async forUser(userId: string, roomIds: string[]): Promise<Map<string, number>> {
    return new Map(roomIds.flatMap((roomId) => (this.markers.has(`${roomId}:${userId}`) ? [[roomId, this.markers.get(`${roomId}:${userId}`)!] as const] : [])));
  }
}

export class FakeCleanupStore implements RoomCleanupStore {
  readonly notes = new Map<string, PendingCleanup>();

  async record(cleanup: RoomCleanup): Promise<void> {
    this.notes.set(JSON.stringify(cleanup), { cleanup, recordedAt: new Date() });
  }

  async pending(): Promise<PendingCleanup[]> {
    return [...this.notes.values()];
  }

  async done(cleanup: RoomCleanup): Promise<void> {
    this.notes.delete(JSON.stringify(cleanup));
  }
}

/** Every announcement, in order; `failRemovals` makes roomRemoved throw (a presence store that is down). */
export class RecordingEvents implements RoomEvents {
  readonly log: string[] = [];
  failRemovals = false;

  messageCreated(room: Room, message: Message): void {
    this.log.push(`message:new ${room.id} ${message.id}`);
  }

  roomAdded(userId: string, summary: RoomSummary): void {
    this.log.push(`room:added ${summary.id} ${userId}`);
  }

  roomUpdated(room: Room): void {
    this.log.push(`room:updated ${room.id} v${room.version}`);
  }

  async roomRemoved(roomId: string, userIds: string[], reason: RoomRemovedReason): Promise<void> {
    if (this.failRemovals) throw new Error('presence store unreachable');
    this.log.push(`room:removed ${roomId} ${reason} ${userIds.join(',')}`);
  }
}

/** One process: the write runs at once; the changes are counted. */
export class ImmediateChanges implements RoomChanges {
  readonly changed: string[] = [];

  async change<T>(roomId: string, write: () => Promise<T>): Promise<T> {
    this.changed.push(roomId);
    return write();
  }
}

/** A logger that keeps warnings for tests to read, and drops the rest. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    warnings,
    warn: (_fields: unknown, message?: string) => void warnings.push(message ?? ''),
    error: (_fields: unknown, message?: string) => void warnings.push(message ?? ''),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger as unknown as Logger & { warnings: string[] };
}
