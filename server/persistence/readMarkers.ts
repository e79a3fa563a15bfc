import { ObjectId, type Collection, type Db } from 'mongodb';
import { KeyedLock } from './keyedLock.js';

/** How far one user has read in one room; `_id` is "<roomId>:<userId>". */
interface ReadMarkerDoc {
  _id: string;
  roomId: ObjectId;
  userId: ObjectId;
  lastReadId: ObjectId;
}

export class ReadMarkerRepository {
  /** Concurrent upserts of one marker must not interleave (see keyedLock.ts). */
  private readonly writes = new KeyedLock();
  constructor(private readonly db: Db) {}

  private get markers(): Collection<ReadMarkerDoc> {
    return this.db.collection<ReadMarkerDoc>('readMarkers');
  }

  /** Only ever moves forward: a late "read" for an older message changes nothing. */
  async markRead(roomId: string, userId: string, messageId: string): Promise<void> {
    const _id = `${roomId}:${userId}`;
    await this.writes.run(_id, () =>
      this.markers.updateOne(
        { _id },
        { $max: { lastReadId: new ObjectId(messageId) }, $setOnInsert: { roomId: new ObjectId(roomId), userId: new ObjectId(userId) } },
        { upsert: true },
      ),
    );
  }

  /** roomId -> last read message id, for the given user. */
  async forUser(userId: string): Promise<Map<string, string>> {
    const docs = await this.markers.find({ userId: new ObjectId(userId) }).toArray();
    return new Map(docs.map((d) => [d.roomId.toHexString(), d.lastReadId.toHexString()]));
  }

  async deleteForRoom(roomId: string): Promise<void> {
    await this.markers.deleteMany({ roomId: new ObjectId(roomId) });
  }

  async deleteFor(roomId: string, userId: string): Promise<void> {
    await this.markers.deleteOne({ _id: `${roomId}:${userId}` });
  }
}
