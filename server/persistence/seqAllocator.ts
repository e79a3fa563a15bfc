import type { SeqSource } from './messages.js';
import type { RoomHeadRepository } from './roomHeads.js';

/** Rooms whose next seq this process remembers; the least recently used are forgotten. */
const MAX_ROOMS = 50_000;

/**
 * Which seq a send tries next, per room. Within this process it counts up without asking
 * the database; the first send to a room starts from the room's head. Another process
 * sending to the same room shows up as a taken seq (the insert's unique index refuses
 * it), and the counter jumps past it and past that process's head.
 */
export class SeqAllocator implements SeqSource {
  private readonly counters = new Map<string, number>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly heads: Pick<RoomHeadRepository, 'lastSeq'>,
    /** The highest seq stored in a room, read from the messages (index-backed on MongoDB). */
    private readonly highestStored: (roomId: string) => Promise<number>,
  ) {}

  async next(roomId: string): Promise<number> {
    for (;;) {
      const next = this.counters.get(roomId);
      if (next !== undefined) {
        this.remember(roomId, next + 1);
        return next;
      }
      await this.load(roomId);
    }
  }

  /**
   * The first collision of a send jumps past the other process's head; heads are written
   * a little behind the sends, so a send that collides again asks the messages themselves.
   */
  async taken(roomId: string, seq: number, collisions: number): Promise<void> {
    const last = collisions <= 1 ? await this.heads.lastSeq(roomId) : await this.highestStored(roomId);
    this.remember(roomId, Math.max(this.counters.get(roomId) ?? 0, seq + 1, last + 1));
  }

  /** The highest seq this process knows to be taken in the room (0 if it knows none). */
  knownLast(roomId: string): number {
    return (this.counters.get(roomId) ?? 1) - 1;
  }

  /** `last` is known to be taken (read from the room's head): the next try goes past it. */
  learn(roomId: string, last: number): void {
    if (last >= (this.counters.get(roomId) ?? 1)) this.remember(roomId, last + 1);
  }

  forget(roomId: string): void {
    this.counters.delete(roomId);
  }

  private load(roomId: string): Promise<void> {
    let loading = this.loading.get(roomId);
    if (!loading) {
      loading = this.heads
        .lastSeq(roomId)
        .then((last) => {
          if (!this.counters.has(roomId)) this.remember(roomId, last + 1);
        })
        .finally(() => this.loading.delete(roomId));
      this.loading.set(roomId, loading);
    }
    return loading;
  }

  private remember(roomId: string, next: number): void {
    this.counters.delete(roomId);
    this.counters.set(roomId, next);
    if (this.counters.size > MAX_ROOMS) this.counters.delete(this.counters.keys().next().value as string);
  }
}
