// Runs in: the renderer. Tells the server how far the user has read each room, at most
// once per room every few seconds however fast messages arrive: the first report goes
// out at once, later ones wait for the end of the interval and send only the newest seq
// (trailing, so the last read is never lost). Leaving a room or the window losing focus
// flushes at once. The server keeps the maximum, so a late or repeated report is harmless.
import { isNotNow, refusalOf, retryDelay } from '../lib/backoff';

/** Sends one report; rejects with the refusal (or a timeout) when it was not stored. */
export type ReadSender = (roomId: string, seq: number) => Promise<void>;

export interface ReadClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** At most one report per room in this interval (flushes aside). */
export const READ_INTERVAL_MS = 3000;

const systemClock: ReadClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface RoomReads {
  /** The newest seq seen. */
  wanted: number;
  /** The newest seq sent (or being sent). */
  sent: number;
  /** The newest seq the server confirmed. */
  stored: number;
  lastSentAt: number;
  timer: unknown;
  /** Consecutive "not now" refusals, for the back-off. */
  refusals: number;
}

export class ReadReporter {
  private readonly rooms = new Map<string, RoomReads>();
  private disposed = false;

  constructor(
    private readonly send: ReadSender,
    private readonly clock: ReadClock = systemClock,
    private readonly intervalMs = READ_INTERVAL_MS,
  ) {}

  /** The user has seen `roomId` up to `seq`. */
  seen(roomId: string, seq: number): void {
    if (this.disposed) return;
    const room = this.room(roomId);
    if (seq <= room.wanted) return;
    room.wanted = seq;
    if (room.timer !== null) return; // the pending report will carry it
    const wait = room.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.sendNow(roomId, room);
    else this.schedule(roomId, room, wait);
  }

  /** Sends what is waiting now: for one room (leaving it) or all (the window lost focus, closing). */
  flush(roomId?: string): void {
    if (this.disposed) return;
    const ids = roomId === undefined ? [...this.rooms.keys()] : [roomId];
    for (const id of ids) {
      const room = this.rooms.get(id);
      if (!room || room.wanted <= room.sent) continue;
      this.cancelTimer(room);
      this.sendNow(id, room);
    }
  }

  /** The room is gone (removed, deleted): nothing more to report. */
  forget(roomId: string): void {
    const room = this.rooms.get(roomId);
    if (room) this.cancelTimer(room);
    this.rooms.delete(roomId);
  }

  /** Signed out: no timer may fire for this session any more. */
  dispose(): void {
    this.disposed = true;
    for (const room of this.rooms.values()) this.cancelTimer(room);
    this.rooms.clear();
  }

  private room(roomId: string): RoomReads {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { wanted: 0, sent: 0, stored: 0, lastSentAt: -Infinity, timer: null, refusals: 0 };
      this.rooms.set(roomId, room);
    }
    return room;
  }

  private schedule(roomId: string, room: RoomReads, ms: number): void {
    room.timer = this.clock.setTimeout(() => {
      room.timer = null;
      if (!this.disposed && this.rooms.get(roomId) === room) this.sendNow(roomId, room);
    }, ms);
  }

  private cancelTimer(room: RoomReads): void {
    if (room.timer === null) return;
    this.clock.clearTimeout(room.timer);
    room.timer = null;
  }

  private sendNow(roomId: string, room: RoomReads): void {
    if (room.wanted <= room.sent) return;
    const seq = room.wanted;
    room.sent = seq;
    room.lastSentAt = this.clock.now();
    this.send(roomId, seq).then(
      () => {
        room.stored = Math.max(room.stored, seq);
        room.refusals = 0;
      },
      (error: unknown) => {
        if (this.disposed || this.rooms.get(roomId) !== room) return;
        const refusal = refusalOf(error);
        // "No" (the room is gone, a bad request): dropped. "Not now": again after the back-off.
        if (!isNotNow(refusal)) return;
        room.refusals += 1;
        if (room.sent === seq) room.sent = room.stored;
        if (room.timer === null) this.schedule(roomId, room, Math.max(retryDelay(refusal, room.refusals), this.intervalMs));
      },
    );
  }
}
