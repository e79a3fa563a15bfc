import type { SeqSource } from './messages.js';
import type { RoomHeadRepository } from './roomHeads.js';

/** Rooms whose next seq this process remembers; the least recently used are forgotten. */
const MAX_ROOMS = 50_000;

/** Where the allocator learns what other processes have stored in a room, cheapest first. */
export interface SeqHints {
  /** The room's head (written a little behind the sends). */
  heads: Pick<RoomHeadRepository, 'lastSeq'>;
  /** The highest seq in the room's tail (Redis, appended by every process right after its insert); 0 when it holds none. */
  newestInTail(roomId: string): Promise<number>;
  /** The highest seq stored in a room, read from the messages (index-backed on MongoDB, a scan on FerretDB). */
  highestStored(roomId: string): Promise<number>;
}

/**
 * Which seq a send tries next, per room. Within this process it counts up without asking
 * the database; the first send to a room starts from the room's head. Another process
 * sending to the same room shows up as a taken seq (the insert's unique index refuses
 * it), and the counter jumps past what that process has stored.
 */
export class SeqAllocator implements SeqSource {
  private readonly counters = new Map<string, number>();
  private readonly loading = new Map<string, Promise<void>>();
  constructor(private readonly hints: SeqHints) {}

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
   * `seq` was taken by another process: the counter jumps past everything that process is
   * known to have stored. The fastest source that knows of `seq` decides: the room's tail
   * (one Redis read), else the head, else the messages. The freshness matters more than
   * the cost: while another process keeps storing, an answer that takes longer than its
   * next few inserts is already stale, and a send that always learns too late never gets
   * a seq (a backend that rejoined after a database outage chased the other one for 10 s
   * per send when it read the messages, a scan on FerretDB, every time).
   */
  async taken(roomId: string, seq: number): Promise<void> {
    let last = await this.hints.newestInTail(roomId).catch(() => 0);
    if (last < seq) last = Math.max(last, await this.hints.heads.lastSeq(roomId));
    if (last < seq) last = Math.max(last, await this.hints.highestStored(roomId));
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
      loading = this.hints.heads
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
