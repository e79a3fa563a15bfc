// The newest messages of each active room, so that entering a room (and the pages just
// before the newest, and a reconnect's catch-up) never searches the messages
// collection. In this process's memory when Parley runs alone; in Redis with REDIS_URL
// (redisRoomTail.ts), so every process sees the same tail. Filled from the database on
// a miss, appended to by every send before it is acknowledged, dropped with the room.
import type { Message } from '../../src/shared/contract.js';

/** How many of a room's newest messages a tail holds (at least the largest page). */
export const TAIL_SIZE = 200;
/**
 * A filled tail is trusted this long, then read again from the database. A send that
 * stored its message and died before appending it (and is never retried) is missing
 * from the tail until then.
 */
export const TAIL_LIFETIME_MS = 6 * 60 * 60 * 1000;

export interface RoomTail {
  /** The room's held messages in seq order, or null when the room's tail is not held. */
  read(roomId: string): Promise<Message[] | null>;
  /** Stores the room's newest messages as just read from the database (merged with appends made meanwhile). */
  fill(roomId: string, newest: Message[]): Promise<void>;
  /** Adds a stored message (idempotent). */
  append(message: Message): Promise<void>;
  /** The highest seq the room's tail holds (appended or filled), or 0 when it holds none. */
  newestSeq(roomId: string): Promise<number>;
  drop(roomId: string): Promise<void>;
  /** Forgets every tail (after an outage during which appends may have been lost). */
  clear(): Promise<void>;
}

/** Inserts by seq into a seq-ordered list, ignoring a seq already held; keeps the newest `TAIL_SIZE`. */
export function mergeIntoTail(tail: Message[], incoming: readonly Message[]): Message[] {
  const bySeq = new Map(tail.map((m) => [m.seq, m]));
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-TAIL_SIZE);
}

interface MemoryEntry {
  messages: Message[];
  /** Set by fill; an entry made only by appends is not a whole tail. */
  filledAt: number | null;
}

/** Rooms whose tails one process keeps; the least recently used are dropped. */
const MAX_ROOMS = 5_000;

export class MemoryRoomTail implements RoomTail {
  private readonly rooms = new Map<string, MemoryEntry>();

  async read(roomId: string): Promise<Message[] | null> {
    const entry = this.rooms.get(roomId);
    if (!entry || entry.filledAt === null || Date.now() - entry.filledAt > TAIL_LIFETIME_MS) return null;
    this.touch(roomId, entry);
    return entry.messages;
  }

  async fill(roomId: string, newest: Message[]): Promise<void> {
    const held = this.rooms.get(roomId)?.messages ?? [];
    this.touch(roomId, { messages: mergeIntoTail(held, newest), filledAt: Date.now() });
  }

  async append(message: Message): Promise<void> {
    const entry = this.rooms.get(message.roomId) ?? { messages: [], filledAt: null };
    const last = entry.messages.at(-1);
    // The usual case, the next message, without rebuilding the list.
    entry.messages = !last || message.seq > last.seq ? [...entry.messages, message].slice(-TAIL_SIZE) : mergeIntoTail(entry.messages, [message]);
    this.touch(message.roomId, entry);
  }

  async newestSeq(roomId: string): Promise<number> {
    return this.rooms.get(roomId)?.messages.at(-1)?.seq ?? 0;
  }

  async drop(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
  }

  async clear(): Promise<void> {
    this.rooms.clear();
  }

  private touch(roomId: string, entry: MemoryEntry): void {
    this.rooms.delete(roomId);
    this.rooms.set(roomId, entry);
    if (this.rooms.size > MAX_ROOMS) this.rooms.delete(this.rooms.keys().next().value as string);
  }
}
