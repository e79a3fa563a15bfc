// Writes where only the newest value matters (a room's head, a read marker), per key:
// one write in flight per key at a time, and everything submitted meanwhile collapses
// into one follow-up write of the newest value. Each caller's promise settles when a
// write of its value, or of a newer one, has finished. This keeps a burst of N updates
// to one document at about two writes, and serialises them within this process (which
// FerretDB's non-atomic updates need; see keyedLock.ts). With a pacer, a key is written
// at most once per its interval: the wait comes before the newest value is picked, so
// what arrives during the wait goes out in that same write.
import type { Pacer } from './pacer.js';

interface Slot<V> {
  pending: V | undefined;
  /** The newest value submitted while this slot lives (written or not yet). */
  newest: V;
  waiters: Array<{ resolve(): void; reject(error: unknown): void }>;
  /** The write under way, if any. */
  writing?: Promise<void> | undefined;
}

export class LatestWins<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private readonly draining = new Set<Promise<void>>();

  constructor(
    private readonly write: (key: string, value: V) => Promise<void>,
    /** True when `a` supersedes `b`. */
    private readonly newer: (a: V, b: V) => boolean,
    private readonly pacer?: Pacer,
  ) {}

  submit(key: string, value: V): Promise<void> {
    let slot = this.slots.get(key);
    const idle = !slot;
    if (!slot) {
      slot = { pending: undefined, newest: value, waiters: [] };
      this.slots.set(key, slot);
    }
    if (slot.pending === undefined || this.newer(value, slot.pending)) slot.pending = value;
    if (this.newer(value, slot.newest)) slot.newest = value;
    const settled = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    if (idle) {
      const drained = this.drain(key, slot).finally(() => this.draining.delete(drained));
      this.draining.add(drained);
    }
    return settled;
  }

  /** Resolves when every write submitted so far has been attempted. */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.allSettled([...this.draining]);
  }

  /**
   * Forgets the values not yet written for the keys `which` selects (their document is
   * being deleted), and resolves once a write already under way for them has finished,
   * so nothing lands after the caller's delete.
   */
  async drop(which: (key: string) => boolean): Promise<void> {
    const writing: Array<Promise<void>> = [];
    for (const [key, slot] of this.slots) {
      if (!which(key)) continue;
      slot.pending = undefined;
      for (const w of slot.waiters.splice(0)) w.resolve();
      if (slot.writing) writing.push(slot.writing);
    }
    await Promise.allSettled(writing);
  }

  /**
   * Runs a read of the stored values and returns it with, per key, the newest value
   * submitted here whose write had not finished when the read began or when it ended.
   * Looking only after the read would miss a write that landed during it (the read saw
   * the old document, and the slot was gone by the time it was checked).
   */
  async readMerging<R>(keys: string[], read: () => Promise<R>): Promise<{ stored: R; unsettled: Map<string, V> }> {
    const unsettled = new Map<string, V>();
    const note = () => {
      for (const key of keys) {
        const value = this.slots.get(key)?.newest;
        const held = unsettled.get(key);
        if (value !== undefined && (held === undefined || this.newer(value, held))) unsettled.set(key, value);
      }
    };
    note();
    const stored = await read();
    note();
    return { stored, unsettled };
  }

  private async drain(key: string, slot: Slot<V>): Promise<void> {
    while (slot.pending !== undefined) {
      await this.pacer?.turn(key);
      const value = slot.pending;
      if (value === undefined) break; // dropped while waiting its turn
      const waiters = slot.waiters.splice(0);
      slot.pending = undefined;
      try {
        slot.writing = this.write(key, value);
        await slot.writing;
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      } finally {
        slot.writing = undefined;
        this.pacer?.wrote(key);
      }
    }
    this.slots.delete(key);
  }
}
