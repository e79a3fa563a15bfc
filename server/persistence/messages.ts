import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { Message } from '../../src/shared/contract.js';
import { isDuplicateKeyError } from './database.js';

interface MessageDoc {
  _id: ObjectId;
  roomId: ObjectId;
  authorId: ObjectId;
  authorUsername: string;
  text: string;
  clientId: string;
  createdAt: Date;
}

const toMessage = (d: MessageDoc): Message => ({
  id: d._id.toHexString(),
  roomId: d.roomId.toHexString(),
  authorId: d.authorId.toHexString(),
  authorUsername: d.authorUsername,
  text: d.text,
  clientId: d.clientId,
  createdAt: d.createdAt.toISOString(),
});

export type InsertResult = { created: true; message: Message } | { created: false; message: Message };

export type PageRequest =
  | { kind: 'latest'; limit: number }
  | { kind: 'before'; messageId: string; limit: number }
  | { kind: 'after'; messageId: string; limit: number }
  | { kind: 'first'; limit: number };

export interface Page {
  messages: Message[];
  hasMore: boolean;
}

export class MessageRepository {
  constructor(private readonly db: Db) {}

  private get messages(): Collection<MessageDoc> {
    return this.db.collection<MessageDoc>('messages');
  }

  /**
   * Inserts a message unless this author already sent one with this clientId; the unique
   * (authorId, clientId) index makes the check race-free, also across processes.
   */
  async insertOnce(input: { roomId: string; authorId: string; authorUsername: string; text: string; clientId: string }): Promise<InsertResult> {
    const doc: MessageDoc = {
      _id: new ObjectId(),
      roomId: new ObjectId(input.roomId),
      authorId: new ObjectId(input.authorId),
      authorUsername: input.authorUsername,
      text: input.text,
      clientId: input.clientId,
      createdAt: new Date(),
    };
    try {
      await this.messages.insertOne(doc);
      return { created: true, message: toMessage(doc) };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.messages.findOne({ authorId: doc.authorId, clientId: doc.clientId });
      if (!existing) throw error;
      return { created: false, message: toMessage(existing) };
    }
  }

  /** Keyset pages over (roomId, _id): never skip/offset, so any page costs the same. Always oldest first. */
  async page(roomId: string, request: PageRequest): Promise<Page> {
    const room = new ObjectId(roomId);
    let filter: Filter<MessageDoc> = { roomId: room };
    let newestFirst = true;
    switch (request.kind) {
      case 'latest':
        break;
      case 'before':
        filter = { roomId: room, _id: { $lt: new ObjectId(request.messageId) } };
        break;
      case 'after':
        filter = { roomId: room, _id: { $gt: new ObjectId(request.messageId) } };
        newestFirst = false;
        break;
      case 'first':
        newestFirst = false;
        break;
    }
    const docs = await this.messages
      .find(filter)
      .sort({ _id: newestFirst ? -1 : 1 })
      .limit(request.limit + 1)
      .toArray();
    const hasMore = docs.length > request.limit;
    const pageDocs = docs.slice(0, request.limit);
    if (newestFirst) pageDocs.reverse();
    return { messages: pageDocs.map(toMessage), hasMore };
  }

  /** The room's latest message (the history index's first key on MongoDB). */
  async newest(roomId: string): Promise<Message | null> {
    const doc = await this.messages.find({ roomId: new ObjectId(roomId) }).sort({ _id: -1 }).limit(1).next();
    return doc && toMessage(doc);
  }

  async findById(messageId: string): Promise<Message | null> {
    const doc = await this.messages.findOne({ _id: new ObjectId(messageId) });
    return doc && toMessage(doc);
  }

  /** Messages from others after the reader's marker, counted up to `cap` (the list shows "cap+" beyond). */
  async countUnread(roomId: string, userId: string, afterMessageId: string | null, cap: number): Promise<number> {
    const filter: Filter<MessageDoc> = { roomId: new ObjectId(roomId), authorId: { $ne: new ObjectId(userId) } };
    if (afterMessageId) filter._id = { $gt: new ObjectId(afterMessageId) };
    return this.messages.countDocuments(filter, { limit: cap });
  }

  async deleteForRoom(roomId: string): Promise<number> {
    return (await this.messages.deleteMany({ roomId: new ObjectId(roomId) })).deletedCount;
  }
}
