import { ObjectId, type Collection, type Db } from 'mongodb';
import { LatestWins } from './latestWins.js';
import { Pacer } from './pacer.js';

/** How far one user has read in one room; `_id` is "<roomId>:<userId>". */
interface ReadMarkerDoc {
  _id: string;
  roomId: ObjectId;
  userId: ObjectId;
  /** The seq of the newest message read. */
  lastReadSeq: number;
}

/** At most one marker write per user and room in this window; reports in between collapse into the next. */
export const MARKER_WRITE_INTERVAL_MS = 3_000;

/**
 * Read markers. A marker only moves forward (`$max`). Reports are frequent (every viewer,
 * every few seconds, and every send), so each marker is written at most once per
 * MARKER_WRITE_INTERVAL_MS; reports in between are merged into one trailing write, and
 * reads of this process merge in what is not written yet.
 */
export class ReadMarkerRepository {
  private readonly pacer: Pacer;
  private readonly writes: LatestWins<number>;

  constructor(
    private readonly db: Db,
    intervalMs = MARKER_WRITE_INTERVAL_MS,
  ) {
    this.pacer = new Pacer(intervalMs);
    this.writes = new LatestWins<number>(
      (id, seq) => this.write(id, seq),
      (a, b) => a > b,
      this.pacer,
    );
  }

  private get markers(): Collection<ReadMarkerDoc> {
    return this.db.collection<ReadMarkerDoc>('readMarkers');
  }

  /** Records that the user has read the room up to `seq`; settles once stored. */
  advance(roomId: string, userId: string, seq: number): Promise<void> {
    return this.writes.submit(`${roomId}:${userId}`, seq);
  }

  /** roomId -> last read seq for the given user and rooms (one query), including reports not yet written. */
  async forUser(userId: string, roomIds: string[]): Promise<Map<string, number>> {
    const keys = roomIds.map((roomId) => `${roomId}:${userId}`);
    const { stored, unsettled } = await this.writes.readMerging(keys, () => this.markers.find({ userId: new ObjectId(userId) }).toArray());
    const result = new Map(stored.map((d) => [d.roomId.toHexString(), d.lastReadSeq ?? 0]));
    for (const roomId of roomIds) {
      const seq = unsettled.get(`${roomId}:${userId}`);
      if (seq !== undefined && seq > (result.get(roomId) ?? 0)) result.set(roomId, seq);
    }
    return result;
  }

  /** Writes every waiting report now (graceful shutdown). */
  async flush(): Promise<void> {
    this.pacer.hurry();
    await this.writes.idle();
  }

  /** Every marker of the room, and any write of one still waiting here (which would bring it back). */
  async deleteForRoom(roomId: string): Promise<void> {
    await this.writes.drop((key) => key.startsWith(`${roomId}:`));
    await this.markers.deleteMany({ roomId: new ObjectId(roomId) });
  }

  async deleteFor(roomId: string, userId: string): Promise<void> {
    await this.writes.drop((key) => key === `${roomId}:${userId}`);
    await this.markers.deleteOne({ _id: `${roomId}:${userId}` });
  }

  private async write(id: string, seq: number): Promise<void> {
    const [roomId = '', userId = ''] = id.split(':');
    await this.markers.updateOne(
      { _id: id },
      { $max: { lastReadSeq: seq }, $setOnInsert: { roomId: new ObjectId(roomId), userId: new ObjectId(userId) } },
      { upsert: true },
    );
  }
}
