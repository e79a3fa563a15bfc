import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Message } from '../../src/shared/contract.js';
import { isDuplicateKeyError } from './database.js';
import { LatestWins } from './latestWins.js';
import { toMessage, toMessageDoc, type MessageDoc } from './messages.js';
import { Pacer } from './pacer.js';

/** Where a room's history ends: its highest seq and that message, for the room list. */
interface RoomHeadDoc {
  _id: ObjectId;
  lastSeq: number;
  lastMessage: MessageDoc;
}

export interface RoomHead {
  lastSeq: number;
  lastMessage: Message;
}

/** Re-checks after a write: FerretDB may land another process's older write over ours. */
const MAX_WRITE_CHECKS = 5;
/** At most one head write per room in this window; the sends in between are merged into the next. */
export const HEAD_WRITE_INTERVAL_MS = 500;
/**
 * On FerretDB, how long after a checked write the head is checked once more: another
 * process's write that read the head before ours can land just after our check.
 */
const RECHECK_AFTER_MS = 1_000;

/**
 * One small document per room that has messages, moved forward after sends, so the
 * room list reads one document per room (one query for all of them) instead of
 * searching the history. A head only moves forward: its write is conditioned on a
 * lower seq. A room's head is written at most every HEAD_WRITE_INTERVAL_MS, the sends in
 * between collapse into that write, and this process's reads merge in what is not
 * written yet; so another process may list a room up to that long behind.
 */
export class RoomHeadRepository {
  private readonly pacer: Pacer;
  private readonly writes: LatestWins<Message>;
  private isolated: Promise<boolean> | undefined;
  /** Per room, the newest head this process wrote and will check again (FerretDB only). */
  private readonly rechecks = new Map<string, Message>();

  constructor(
    private readonly db: Db,
    /** Whether other processes write heads too (with Redis); only they can land a stale write over ours. */
    private readonly severalProcesses: boolean,
    intervalMs = HEAD_WRITE_INTERVAL_MS,
  ) {
    this.pacer = new Pacer(intervalMs);
    this.writes = new LatestWins<Message>(
      (roomId, message) => this.write(roomId, message),
      (a, b) => a.seq > b.seq,
      this.pacer,
    );
  }

  private get heads(): Collection<RoomHeadDoc> {
    return this.db.collection<RoomHeadDoc>('roomHeads');
  }

  /** Every given room's head, in one query (rooms without messages are absent). */
  async forRooms(roomIds: string[]): Promise<Map<string, RoomHead>> {
    const result = new Map<string, RoomHead>();
    if (roomIds.length === 0) return result;
    const { stored: docs, unsettled } = await this.writes.readMerging(roomIds, () =>
      this.heads.find({ _id: { $in: roomIds.map((id) => new ObjectId(id)) } }).toArray(),
    );
    for (const doc of docs) result.set(doc._id.toHexString(), { lastSeq: doc.lastSeq, lastMessage: toMessage(doc.lastMessage) });
    // A head being written by this process is newer than the stored one.
    for (const roomId of roomIds) {
      const pending = unsettled.get(roomId);
      const stored = result.get(roomId);
      if (pending && (!stored || pending.seq > stored.lastSeq)) result.set(roomId, { lastSeq: pending.seq, lastMessage: pending });
    }
    return result;
  }

  async lastSeq(roomId: string): Promise<number> {
    const { stored: doc, unsettled } = await this.writes.readMerging([roomId], () =>
      this.heads.findOne({ _id: new ObjectId(roomId) }, { projection: { lastSeq: 1 } }),
    );
    return Math.max(doc?.lastSeq ?? 0, unsettled.get(roomId)?.seq ?? 0);
  }

  /** Moves the room's head to `message` unless it is already there or further; settles once written. */
  advance(message: Message): Promise<void> {
    return this.writes.submit(message.roomId, message);
  }

  /** Writes every waiting head now (graceful shutdown). */
  async flush(): Promise<void> {
    this.pacer.hurry();
    await this.writes.idle();
  }

  /** The room is gone: its head, and any write of it still waiting here (which would bring it back). */
  async delete(roomId: string): Promise<void> {
    await this.writes.drop((key) => key === roomId);
    await this.heads.deleteOne({ _id: new ObjectId(roomId) });
  }

  private async write(roomId: string, message: Message): Promise<void> {
    const _id = new ObjectId(roomId);
    const isolated = await this.updatesAreIsolated();
    for (let check = 0; check < MAX_WRITE_CHECKS; check++) {
      try {
        await this.heads.updateOne(
          { _id, lastSeq: { $lt: message.seq } },
          { $set: { lastSeq: message.seq, lastMessage: toMessageDoc(message) } },
          { upsert: true },
        );
      } catch (error) {
        // The upsert found no lower head and tried to create one: a newer head exists.
        if (!isDuplicateKeyError(error)) throw error;
      }
      // MongoDB applies the conditioned update atomically: nothing to check.
      if (isolated) return;
      const stored = await this.heads.findOne({ _id }, { projection: { lastSeq: 1 } });
      if (stored && stored.lastSeq >= message.seq) {
        if (this.severalProcesses) this.recheckLater(roomId, message);
        return;
      }
    }
  }

  private recheckLater(roomId: string, message: Message): void {
    const scheduled = this.rechecks.get(roomId);
    if (!scheduled || message.seq > scheduled.seq) this.rechecks.set(roomId, message);
    if (scheduled) return;
    setTimeout(() => {
      const newest = this.rechecks.get(roomId)!;
      this.rechecks.delete(roomId);
      void this.heads
        .findOne({ _id: new ObjectId(roomId) }, { projection: { lastSeq: 1 } })
        .then((stored) => (stored && stored.lastSeq < newest.seq ? this.advance(newest) : undefined))
        // The room's next send repairs the head as well.
        .catch(() => {});
    }, RECHECK_AFTER_MS).unref();
  }

  /** FerretDB 1.x (which says so in buildInfo) applies updates without isolation; MongoDB does not. */
  private updatesAreIsolated(): Promise<boolean> {
    this.isolated ??= this.db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => !('ferretdbVersion' in info))
      .catch(() => false);
    return this.isolated;
  }
}
