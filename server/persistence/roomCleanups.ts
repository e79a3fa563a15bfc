import { type Collection, type Db } from 'mongodb';
import { isDuplicateKeyError } from './database.js';

/**
 * Follow-up work a committed room change leaves: the history, head and read markers of
 * a deleted room, or the read marker of a removed member. Recorded before the change is
 * written, so a process that dies after committing leaves a note for the start-up sweep.
 */
export type RoomCleanup = { kind: 'room-deleted'; roomId: string } | { kind: 'member-removed'; roomId: string; userId: string };

interface RoomCleanupDoc {
  /** "<roomId>" for a deleted room, "<roomId>:<userId>" for a removed member: one note per piece of work. */
  _id: string;
  kind: RoomCleanup['kind'];
  roomId: string;
  userId?: string;
  recordedAt: Date;
}

const idOf = (cleanup: RoomCleanup) => (cleanup.kind === 'room-deleted' ? cleanup.roomId : `${cleanup.roomId}:${cleanup.userId}`);

export interface PendingCleanup {
  cleanup: RoomCleanup;
  recordedAt: Date;
}

export class RoomCleanupRepository {
  constructor(private readonly db: Db) {}

  private get cleanups(): Collection<RoomCleanupDoc> {
    return this.db.collection<RoomCleanupDoc>('roomCleanups');
  }

  /** Idempotent: recording the same work twice keeps one note (with the later time). */
  async record(cleanup: RoomCleanup): Promise<void> {
    const { kind, roomId } = cleanup;
    try {
      await this.cleanups.replaceOne(
        { _id: idOf(cleanup) },
        { kind, roomId, ...(cleanup.kind === 'member-removed' ? { userId: cleanup.userId } : {}), recordedAt: new Date() },
        { upsert: true },
      );
    } catch (error) {
      // Two upserts of the same note at once: one of them created it, which is all we need.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async pending(): Promise<PendingCleanup[]> {
    const docs = await this.cleanups.find({}).toArray();
    return docs.map((d) => ({
      cleanup: d.kind === 'room-deleted' ? { kind: d.kind, roomId: d.roomId } : { kind: d.kind, roomId: d.roomId, userId: d.userId ?? '' },
      recordedAt: d.recordedAt,
    }));
  }

  /** The work is done (or no longer needed). */
  async done(cleanup: RoomCleanup): Promise<void> {
    await this.cleanups.deleteOne({ _id: idOf(cleanup) });
  }
}
