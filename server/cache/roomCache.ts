// Rooms (name, members, roles) as this process last read them, so a send, an enter or
// a history page does not read the room from the database each time. Every committed
// room change invalidates the entry here and in every other process before the change
// is answered (services/rooms.ts, realtime/roomChanges.ts); a read that was already
// under way when its room was invalidated does not put its stale answer in the cache.
import type { Room } from '../domain/membership.js';
import type { RoomRepository } from '../persistence/rooms.js';

const MAX_ROOMS = 20_000;

export class RoomCache {
  private readonly rooms = new Map<string, Room>();
  /** Per room, the invalidation that last touched it (a number that only grows). */
  private readonly invalidations = new Map<string, number>();
  private invalidationCount = 0;
  /** Bumped by clear(), so reads under way during it are not cached either. */
  private epoch = 0;

  constructor(private readonly repository: Pick<RoomRepository, 'findById'>) {}

  async get(roomId: string): Promise<Room | null> {
    const held = this.rooms.get(roomId);
    if (held) {
      this.remember(roomId, held);
      return held;
    }
    const before = this.invalidationOf(roomId);
    const room = await this.repository.findById(roomId);
    if (room && this.invalidationOf(roomId) === before) this.remember(roomId, room);
    return room;
  }

  invalidate(roomId: string): void {
    this.rooms.delete(roomId);
    this.invalidations.delete(roomId);
    this.invalidations.set(roomId, ++this.invalidationCount);
    if (this.invalidations.size > MAX_ROOMS * 5) this.invalidations.delete(this.invalidations.keys().next().value as string);
  }

  /** Forgets every room (after an outage during which invalidations may have been missed). */
  clear(): void {
    this.rooms.clear();
    this.epoch++;
  }

  private invalidationOf(roomId: string): string {
    return `${this.epoch}:${this.invalidations.get(roomId) ?? 0}`;
  }

  private remember(roomId: string, room: Room): void {
    this.rooms.delete(roomId);
    this.rooms.set(roomId, room);
    if (this.rooms.size > MAX_ROOMS) this.rooms.delete(this.rooms.keys().next().value as string);
  }
}
