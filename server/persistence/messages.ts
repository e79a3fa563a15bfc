import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { Message } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import { isDuplicateKeyError } from './database.js';

export interface MessageDoc {
  _id: ObjectId;
  roomId: ObjectId;
  /** 1, 2, 3, ... per room; unique with roomId, which is what allocates it (see insertOnce). */
  seq: number;
  authorId: ObjectId;
  authorUsername: string;
  text: string;
  clientId: string;
  createdAt: Date;
  /** The members the text @mentions; absent when none (and on messages stored before mentions). */
  mentions?: ObjectId[];
}

export const toMessage = (d: MessageDoc): Message => ({
  id: d._id.toHexString(),
  roomId: d.roomId.toHexString(),
  authorId: d.authorId.toHexString(),
  authorUsername: d.authorUsername,
  text: d.text,
  clientId: d.clientId,
  seq: d.seq,
  createdAt: d.createdAt.toISOString(),
  ...(d.mentions?.length ? { mentions: d.mentions.map((id) => id.toHexString()) } : {}),
});

export const toMessageDoc = (m: Message): MessageDoc => ({
  _id: new ObjectId(m.id),
  roomId: new ObjectId(m.roomId),
  seq: m.seq,
  authorId: new ObjectId(m.authorId),
  authorUsername: m.authorUsername,
  text: m.text,
  clientId: m.clientId,
  createdAt: new Date(m.createdAt),
  ...(m.mentions?.length ? { mentions: m.mentions.map((id) => new ObjectId(id)) } : {}),
});

export type InsertResult = { created: true; message: Message } | { created: false; message: Message };

export interface NewMessage {
  roomId: string;
  authorId: string;
  authorUsername: string;
  text: string;
  clientId: string;
  /** User ids the text mentions (the service finds them); empty or absent for none. */
  mentions?: string[];
}

/** Hands out the next seq to try for a room, and learns from collisions. */
export interface SeqSource {
  next(roomId: string): Promise<number>;
  /** `seq` was already taken (by another process): the next try must be past it. */
  taken(roomId: string, seq: number): Promise<void>;
}

/** A page request in seq terms; `limit + 1` documents are read so `more` can be told. */
export type SeqRange = { direction: 'older'; below: number | null; limit: number } | { direction: 'newer'; above: number; limit: number };

/** Inserting into a taken seq again and again means something else is wrong. */
const MAX_SEQ_ATTEMPTS = 50;

/**
 * The messages collection. A message's place in its room is `seq`, taken by the insert
 * itself: the unique (roomId, seq) index lets exactly one insert have each number, on
 * MongoDB and on FerretDB alike, and across processes. History pages are ranges of seq.
 */
export class MessageRepository {
  constructor(private readonly db: Db) {}

  private get messages(): Collection<MessageDoc> {
    return this.db.collection<MessageDoc>('messages');
  }

  /**
   * Inserts a message at the room's next seq unless this author already sent one with
   * this clientId; the unique (authorId, clientId) index makes that check race-free.
   */
  async insertOnce(input: NewMessage, seqs: SeqSource): Promise<InsertResult> {
    const base = {
      _id: new ObjectId(),
      roomId: new ObjectId(input.roomId),
      authorId: new ObjectId(input.authorId),
      authorUsername: input.authorUsername,
      text: input.text,
      clientId: input.clientId,
      createdAt: new Date(),
      ...(input.mentions?.length ? { mentions: input.mentions.map((id) => new ObjectId(id)) } : {}),
    };
    const stored = async () => {
      const existing = await this.messages.findOne({ authorId: base.authorId, clientId: base.clientId });
      return existing && { created: false as const, message: toMessage(existing) };
    };
    let clientIdChecked = false;
    for (let attempt = 0; attempt < MAX_SEQ_ATTEMPTS; attempt++) {
      const doc: MessageDoc = { ...base, seq: await seqs.next(input.roomId) };
      try {
        await this.messages.insertOne(doc);
        return { created: true, message: toMessage(doc) };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // MongoDB names the index that refused. FerretDB does not: look for the clientId
        // once (a search of the collection there), and take later refusals as taken seqs.
        const index = duplicateIndexOf(error);
        if (index === 'send_idempotency' || (index === null && !clientIdChecked)) {
          const existing = await stored();
          if (existing) return existing;
          if (index === 'send_idempotency') throw error;
          clientIdChecked = true;
        }
        await seqs.taken(input.roomId, doc.seq);
      }
    }
    // A retry of this clientId stored meanwhile by another process refuses every seq.
    const existing = await stored();
    if (existing) return existing;
    // Answered like any passing overload: the client resends with the same clientId.
    throw new AppError('service_unavailable', 'This room is too busy right now; your message is resent shortly.');
  }

  /**
   * One page of a room in seq order, oldest first. On MongoDB each is a bounded scan of
   * the unique (roomId, seq) index; FerretDB reads the collection (docs/architecture.md).
   */
  async range(roomId: string, range: SeqRange): Promise<{ messages: Message[]; more: boolean }> {
    const room = new ObjectId(roomId);
    const older = range.direction === 'older';
    const filter: Filter<MessageDoc> = older
      ? range.below === null
        ? { roomId: room }
        : { roomId: room, seq: { $lt: range.below } }
      : { roomId: room, seq: { $gt: range.above } };
    const docs = await this.messages
      .find(filter)
      .sort({ seq: older ? -1 : 1 })
      .limit(range.limit + 1)
      .toArray();
    const more = docs.length > range.limit;
    const page = docs.slice(0, range.limit);
    if (older) page.reverse();
    return { messages: page.map(toMessage), more };
  }

  /** A message of this room by id (an index point read on MongoDB). */
  async findInRoom(roomId: string, messageId: string): Promise<Message | null> {
    const doc = await this.messages.findOne({ _id: new ObjectId(messageId), roomId: new ObjectId(roomId) });
    return doc && toMessage(doc);
  }

  /** The highest seq stored for a room (0 for none): the slow, exact answer the head normally gives. */
  async highestSeq(roomId: string): Promise<number> {
    const doc = await this.messages
      .find({ roomId: new ObjectId(roomId) })
      .sort({ seq: -1 })
      .limit(1)
      .project<{ seq: number }>({ seq: 1 })
      .next();
    return doc?.seq ?? 0;
  }

  async deleteForRoom(roomId: string): Promise<number> {
    return (await this.messages.deleteMany({ roomId: new ObjectId(roomId) })).deletedCount;
  }
}

/** The index behind a duplicate-key error, when the server says (MongoDB does, FerretDB 1.x does not). */
function duplicateIndexOf(error: unknown): 'room_seq' | 'send_idempotency' | null {
  const { keyPattern, message = '' } = error as { keyPattern?: Record<string, unknown>; message?: string };
  if (keyPattern && 'seq' in keyPattern) return 'room_seq';
  if (keyPattern && 'clientId' in keyPattern) return 'send_idempotency';
  if (message.includes('index: room_seq')) return 'room_seq';
  if (message.includes('index: send_idempotency')) return 'send_idempotency';
  return null;
}
