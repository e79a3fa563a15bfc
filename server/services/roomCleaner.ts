// The follow-up work of committed room changes (persistence/roomCleanups.ts): a
// deleted room's history, head, read markers and tail; a removed member's read marker.
// A change is answered and pushed as soon as it has committed; this runs after, and
// every piece of it is idempotent, so it is simply tried again until it succeeds: a
// few times with growing pauses, then by the sweep at start-up and every hour. Every
// cleanup runs a second time a few seconds after the first: a read marker or room head
// another process had queued before the change (they are written a little behind,
// persistence/pacer.ts) may land after the first pass; nothing new is queued after it.
import type { Logger } from '../logger.js';
import type { PendingCleanup, RoomCleanup } from '../persistence/roomCleanups.js';
import type { RoomCleanupStore, RoomStore } from './ports.js';

export interface RoomCleanerDeps {
  cleanups: RoomCleanupStore;
  rooms: Pick<RoomStore, 'findById'>;
  messages: { deleteForRoom(roomId: string): Promise<unknown> };
  readMarkers: { deleteForRoom(roomId: string): Promise<void>; deleteFor(roomId: string, userId: string): Promise<void> };
  heads: { delete(roomId: string): Promise<void> };
  /** What this process keeps of a deleted room (its tail, its seq counter). */
  forgetRoom(roomId: string): Promise<void>;
  logger: Logger;
}

/** Pauses before each retry; after the last, the sweep takes over. */
export const CLEANUP_RETRY_DELAYS_MS = [200, 1_000, 5_000, 30_000, 120_000];
/** After the first pass, the second: longer than a queued marker or head write can wait (3 s, 0.5 s) and land. */
export const CLEANUP_SETTLE_MS = 6_000;

export interface RoomCleanerTiming {
  retryDelaysMs?: readonly number[] | undefined;
  settleMs?: number | undefined;
}
/**
 * A note whose change never committed (its room still exists, its member is still one)
 * is dropped by the sweep once this old; younger ones may belong to a change under way.
 */
const ABANDONED_AFTER_MS = 10 * 60_000;

export class RoomCleaner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly retryDelaysMs: readonly number[];
  private readonly settleMs: number;

  constructor(
    private readonly deps: RoomCleanerDeps,
    timing: RoomCleanerTiming = {},
  ) {
    this.retryDelaysMs = timing.retryDelaysMs ?? CLEANUP_RETRY_DELAYS_MS;
    this.settleMs = timing.settleMs ?? CLEANUP_SETTLE_MS;
  }

  /** Before the change is written: leaves a note in case this process dies right after committing. */
  record(cleanup: RoomCleanup): Promise<void> {
    return this.deps.cleanups.record(cleanup);
  }

  /**
   * After the change committed (and was announced): does the work now and resolves when
   * this first pass is over; the second pass follows after the settle time, and a failure
   * is logged and tried again later. Never throws.
   */
  async run(cleanup: RoomCleanup, attempt = 0, final = false): Promise<void> {
    if (this.stopped) return;
    try {
      await this.attempt(cleanup, final);
      if (!final) this.later(this.settleMs, () => this.run(cleanup, 0, true));
    } catch (error) {
      const delay = this.retryDelaysMs[attempt];
      this.deps.logger.warn(
        { err: error, cleanup, attempt },
        delay === undefined ? 'room cleanup failed; the sweep will retry it' : 'room cleanup failed; retrying',
      );
      if (delay !== undefined) this.later(delay, () => this.run(cleanup, attempt + 1, final));
    }
  }

  /** Finishes every note left behind (by a process that died, or whose retries ran out); leaves notes younger than the settle time to their runs. */
  async sweep(now = new Date()): Promise<void> {
    for (const pending of await this.deps.cleanups.pending()) {
      if (now.getTime() - pending.recordedAt.getTime() < this.settleMs) continue;
      try {
        await this.attempt(pending.cleanup, true, pending, now);
      } catch (error) {
        this.deps.logger.warn({ err: error, cleanup: pending.cleanup }, 'room cleanup failed in the sweep; the next sweep retries it');
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(delayMs: number, run: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** One pass; the final one also drops the note. */
  private async attempt(cleanup: RoomCleanup, final: boolean, pending?: PendingCleanup, now = new Date()): Promise<void> {
    const { deps } = this;
    const room = await deps.rooms.findById(cleanup.roomId);
    const stillNeeded = cleanup.kind === 'room-deleted' ? room === null : !room?.members.some((m) => m.userId === cleanup.userId);
    if (!stillNeeded) {
      // The change has not committed (yet, or ever), or the member was added back since.
      if (!pending || now.getTime() - pending.recordedAt.getTime() > ABANDONED_AFTER_MS) await deps.cleanups.done(cleanup);
      return;
    }
    if (cleanup.kind === 'room-deleted') {
      await Promise.all([
        deps.messages.deleteForRoom(cleanup.roomId),
        deps.readMarkers.deleteForRoom(cleanup.roomId),
        deps.heads.delete(cleanup.roomId),
        deps.forgetRoom(cleanup.roomId),
      ]);
    } else {
      await deps.readMarkers.deleteFor(cleanup.roomId, cleanup.userId);
    }
    if (final) await deps.cleanups.done(cleanup);
  }
}
