import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Role } from '../../src/shared/contract.js';
import type { Room } from '../domain/membership.js';

interface MemberDoc {
  userId: ObjectId;
  username: string;
  role: Role;
  joinedAt: Date;
}

interface LastMessageDoc {
  id: ObjectId;
}

interface RoomDoc {
  _id: ObjectId;
  name: string;
  members: MemberDoc[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The newest message's id, kept so the room list needs no scan of the history. */
  lastMessage: LastMessageDoc | null;
}

export interface StoredRoom extends Room {
  lastMessageId: string | null;
}

const toRoom = (d: RoomDoc): StoredRoom => ({
  id: d._id.toHexString(),
  name: d.name,
  version: d.version,
  createdAt: d.createdAt,
  lastMessageId: d.lastMessage ? d.lastMessage.id.toHexString() : null,
  members: d.members.map((m) => ({ userId: m.userId.toHexString(), username: m.username, role: m.role, joinedAt: m.joinedAt })),
});

const toMemberDocs = (room: Room): MemberDoc[] =>
  room.members.map((m) => ({ userId: new ObjectId(m.userId), username: m.username, role: m.role, joinedAt: m.joinedAt }));

export class RoomRepository {
  private readonly rooms: Collection<RoomDoc>;
  constructor(db: Db) {
    this.rooms = db.collection<RoomDoc>('rooms');
  }

  static newId(): string {
    return new ObjectId().toHexString();
  }

  async insert(room: Room): Promise<void> {
    await this.rooms.insertOne({
      _id: new ObjectId(room.id),
      name: room.name,
      members: toMemberDocs(room),
      version: room.version,
      createdAt: room.createdAt,
      updatedAt: room.createdAt,
      lastMessage: null,
    });
  }

  async findById(id: string): Promise<StoredRoom | null> {
    if (!ObjectId.isValid(id)) return null;
    const doc = await this.rooms.findOne({ _id: new ObjectId(id) });
    return doc && toRoom(doc);
  }

  async listForUser(userId: string): Promise<StoredRoom[]> {
    const docs = await this.rooms.find({ 'members.userId': new ObjectId(userId) }).toArray();
    return docs.map(toRoom);
  }

  /**
   * Stores `next` only if nobody changed the room since `expectedVersion` was read.
   * A single-document conditional update is atomic in MongoDB (and FerretDB), which is
   * what keeps the last-admin rule true under concurrent requests.
   */
  async compareAndSet(next: Room, expectedVersion: number): Promise<boolean> {
    const result = await this.rooms.updateOne(
      { _id: new ObjectId(next.id), version: expectedVersion },
      { $set: { name: next.name, members: toMemberDocs(next), version: expectedVersion + 1, updatedAt: new Date() } },
    );
    return result.modifiedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.rooms.deleteOne({ _id: new ObjectId(id) })).deletedCount === 1;
  }

  /** Moves the room's last-message pointer forward only (sends may finish out of order). */
  async advanceLastMessage(roomId: string, messageId: string): Promise<void> {
    const id = new ObjectId(messageId);
    await this.rooms.updateOne(
      { _id: new ObjectId(roomId), $or: [{ lastMessage: null }, { 'lastMessage.id': { $lt: id } }] },
      { $set: { lastMessage: { id } } },
    );
  }
}
