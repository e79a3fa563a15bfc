import { ObjectId, type Collection, type Db, type MongoBulkWriteError } from 'mongodb';
import type { Message } from '../../src/shared/contract.js';
import { isDuplicateKeyError } from './database.js';

/** One unread mention: `_id` is "<messageId>:<userId>", so recording a message twice stores it once. */
interface MentionDoc {
  _id: string;
  userId: ObjectId;
  roomId: ObjectId;
  seq: number;
}

/** A mention not yet known to be read: the room and the message's seq. */
export interface UnreadMention {
  roomId: string;
  seq: number;
}

/**
 * The mentions each user has not read yet, one small document per mention, so the room
 * list counts them in one query whatever the size of the history. A document is written
 * with its message and removed once the user's read marker is past it (the room list
 * removes the ones it finds read); whatever is still there at or below the marker is
 * simply not counted. A deleted room's and a removed member's go the same way, the next
 * time each user lists their rooms. Inserts and deletes only: no read-modify-write that FerretDB's
 * unisolated updates could lose.
 */
export class MentionRepository {
  constructor(private readonly db: Db) {}

  private get mentions(): Collection<MentionDoc> {
    return this.db.collection<MentionDoc>('mentions');
  }

  /** Records the message's mentions; a retry of the same message adds nothing. */
  async record(message: Message): Promise<void> {
    const userIds = message.mentions ?? [];
    if (userIds.length === 0) return;
    const docs = userIds.map((userId) => ({
      _id: `${message.id}:${userId}`,
      userId: new ObjectId(userId),
      roomId: new ObjectId(message.roomId),
      seq: message.seq,
    }));
    try {
      await this.mentions.insertMany(docs, { ordered: false });
    } catch (error) {
      // Stored by an earlier attempt of the same send: exactly what is wanted.
      const writeErrors = (error as MongoBulkWriteError).writeErrors;
      const all = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      const duplicatesOnly = all.length > 0 ? all.every((e) => e.code === 11000) : isDuplicateKeyError(error);
      if (!duplicatesOnly) throw error;
    }
  }

  /** Every mention of this user not yet removed, one query. */
  async forUser(userId: string): Promise<UnreadMention[]> {
    const docs = await this.mentions.find({ userId: new ObjectId(userId) }, { projection: { roomId: 1, seq: 1 } }).toArray();
    return docs.map((d) => ({ roomId: d.roomId.toHexString(), seq: d.seq }));
  }

  /**
   * Removes the user's mentions that no longer count, in one command: per room, those up
   * to `upToSeq` (read), or all of them (`null`: the user left, or the room is gone).
   */
  async removeRead(userId: string, read: ReadonlyArray<{ roomId: string; upToSeq: number | null }>): Promise<void> {
    if (read.length === 0) return;
    const user = new ObjectId(userId);
    await this.mentions.deleteMany({
      $or: read.map(({ roomId, upToSeq }) =>
        upToSeq === null ? { userId: user, roomId: new ObjectId(roomId) } : { userId: user, roomId: new ObjectId(roomId), seq: { $lte: upToSeq } },
      ),
    });
  }
}
