// Sending and reading messages, and how far each member has read. Messages are
// immutable: there is deliberately no edit or delete here, nor a route or event for one.
import type { HistoryPage, HistoryQuery, MarkReadBody, Message } from '../../src/shared/contract.js';
import { findMentions } from '../../src/shared/mentions.js';
import { toHistoryRequest, olderShareOf, type HistoryRequest } from '../cache/historyRequest.js';
import type { RoomCache } from '../cache/roomCache.js';
import { TAIL_SIZE, type RoomTail } from '../cache/roomTail.js';
import { pageFromTail } from '../cache/tailPages.js';
import { AppError } from '../domain/errors.js';
import { requireMember } from '../domain/membership.js';
import type { Logger } from '../logger.js';
import type { MentionRepository } from '../persistence/mentions.js';
import type { MessageRepository } from '../persistence/messages.js';
import type { ReadMarkerRepository } from '../persistence/readMarkers.js';
import type { RoomHeadRepository } from '../persistence/roomHeads.js';
import type { SeqAllocator } from '../persistence/seqAllocator.js';
import type { RoomEvents } from './events.js';

/** What the service uses of each, so unit tests can hand it small fakes. */
export interface MessageServiceDeps {
  /** Membership checks read through it (cache/roomCache.ts). */
  rooms: Pick<RoomCache, 'get'>;
  messages: Pick<MessageRepository, 'insertOnce' | 'range' | 'findInRoom'>;
  seqs: SeqAllocator;
  heads: Pick<RoomHeadRepository, 'lastSeq' | 'advance'>;
  readMarkers: Pick<ReadMarkerRepository, 'advance'>;
  /** Unread @mentions per user, recorded with each message that has any. */
  mentions: Pick<MentionRepository, 'record'>;
  tail: RoomTail;
  events: RoomEvents;
  logger: Logger;
}

export class MessageService {
  /** Sends this process is carrying out now, by author and clientId. */
  private readonly inProgress = new Set<string>();
  /** Messages this process has pushed (the most recent ones). */
  private readonly pushed = new RecentSet(50_000);
  /** Sends under way per room, so a room change can wait for the ones that checked membership before it. */
  private readonly sendsByRoom = new Map<string, Set<Promise<unknown>>>();
  /** Rooms whose change is being written: sends to them wait until it is released. */
  private readonly holds = new Map<string, { holders: number; released: Promise<void>; release(): void }>();

  constructor(private readonly deps: MessageServiceDeps) {}

  /**
   * Stores the message, then delivers it. A retry with a clientId already stored
   * answers with the stored message and delivers nothing, so nobody sees it twice,
   * when this process stored or pushed it (a retry racing the first attempt, or after
   * a lost ack). A retry reaching another process pushes it, because the attempt that
   * stored it may have died before pushing (clients drop a message id they hold).
   */
  async send(input: { roomId: string; authorId: string; clientId: string; text: string }): Promise<Message> {
    // While a room change is being written, new sends to the room wait for it and then
    // check the room as it is afterwards (holdRoom).
    for (let hold = this.holds.get(input.roomId); hold; hold = this.holds.get(input.roomId)) await hold.released;
    const sending = this.sendNow(input);
    let sends = this.sendsByRoom.get(input.roomId);
    if (!sends) this.sendsByRoom.set(input.roomId, (sends = new Set()));
    sends.add(sending);
    const done = () => {
      sends.delete(sending);
      if (sends.size === 0 && this.sendsByRoom.get(input.roomId) === sends) this.sendsByRoom.delete(input.roomId);
    };
    sending.then(done, done);
    return sending;
  }

  /**
   * Holds sends to the room while a change to it is written (realtime/roomChanges.ts):
   * new sends wait, and this resolves once every send already under way has finished.
   * So no message is stored while the room's members change, and none stored after a
   * change was checked against the members before it. Call the returned function to let
   * the waiting sends go (after the room cache has been invalidated).
   */
  async holdRoom(roomId: string): Promise<() => void> {
    let hold = this.holds.get(roomId);
    if (!hold) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { holders: 0, released, release };
      this.holds.set(roomId, hold);
    }
    const held = hold;
    held.holders++;
    let done = false;
    const letGo = () => {
      if (done) return;
      done = true;
      if (--held.holders > 0) return;
      if (this.holds.get(roomId) === held) this.holds.delete(roomId);
      held.release();
    };
    try {
      await this.settleRoom(roomId);
    } catch (error) {
      letGo();
      throw error;
    }
    return letGo;
  }

  /** Resolves once every send to the room that is under way now has finished. */
  async settleRoom(roomId: string): Promise<void> {
    await Promise.allSettled([...(this.sendsByRoom.get(roomId) ?? [])]);
  }

  async history(roomId: string, userId: string, query: HistoryQuery): Promise<HistoryPage> {
    requireMember(await this.deps.rooms.get(roomId), userId);
    return this.page(roomId, toHistoryRequest(query));
  }

  /** The newest page, for entering a room; the caller has already checked membership. */
  latest(roomId: string, limit: number): Promise<HistoryPage> {
    return this.page(roomId, { kind: 'latest', limit });
  }

  /**
   * The member has read the room up to a message. The marker only moves forward, never
   * past the room's newest message, and is written at most every few seconds
   * (persistence/readMarkers.ts); the answer does not wait for that write.
   */
  async markRead(roomId: string, userId: string, read: MarkReadBody): Promise<void> {
    requireMember(await this.deps.rooms.get(roomId), userId);
    let seq: number;
    if ('seq' in read) seq = read.seq;
    else {
      const message = (await this.cachedTail(roomId))?.find((m) => m.id === read.messageId) ?? (await this.deps.messages.findInRoom(roomId, read.messageId));
      if (!message) throw new AppError('not_found', 'No such message in this room.');
      seq = message.seq;
    }
    if (seq > this.deps.seqs.knownLast(roomId)) {
      // A seq another process just stored: its tail append came before the push the viewer
      // saw (the head is written a little later). Learned once per room, not per report.
      const [head, tail] = await Promise.all([this.deps.heads.lastSeq(roomId), this.deps.tail.newestSeq(roomId).catch(() => 0)]);
      this.deps.seqs.learn(roomId, Math.max(head, tail));
      seq = Math.min(seq, this.deps.seqs.knownLast(roomId));
    }
    if (seq < 1) return;
    this.deps.readMarkers
      .advance(roomId, userId, seq)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, roomId }, 'could not store a read marker'));
  }

  /** What a deleted room leaves in this process: its tail and its seq counter. */
  async forgetRoom(roomId: string): Promise<void> {
    this.deps.seqs.forget(roomId);
    await this.deps.tail.drop(roomId);
  }

  private async sendNow(input: { roomId: string; authorId: string; clientId: string; text: string }): Promise<Message> {
    const { rooms, messages, seqs, events } = this.deps;
    const key = `${input.authorId}:${input.clientId}`;
    const firstHere = !this.inProgress.has(key);
    if (firstHere) this.inProgress.add(key);
    try {
      const room = await rooms.get(input.roomId);
      const author = requireMember(room, input.authorId);
      // Mentions are the server's finding, from the members it knows now: clients cannot add
      // any, a non-member's name mentions nobody, and mentioning oneself counts for nothing.
      const mentions = findMentions(
        input.text,
        room!.members.filter((m) => m.userId !== input.authorId),
      );
      const result = await messages.insertOnce({ ...input, authorUsername: author.username, mentions }, seqs);
      const message = result.message;
      if (!result.created && message.roomId !== input.roomId) {
        throw new AppError('client_id_reused', 'That clientId was already used for a message in another room.', { clientId: 'already used' });
      }
      // Stored: from here on the send succeeds, whatever the bookkeeping below meets. The tail
      // learns of it before anyone is told, so what a member was pushed, entering shows.
      await this.appendToTail(message);
      // Before the push, so a mentioned member who lists rooms on hearing of it counts it;
      // a retry records them again (nothing twice), repairing a crash right after the insert.
      await this.deps.mentions
        .record(message)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, roomId: message.roomId }, 'could not record the mentions of a message'));
      if (result.created || (firstHere && !this.pushed.has(message.id))) {
        events.messageCreated(room!, message);
        this.pushed.add(message.id);
      }
      this.record(message);
      return message;
    } finally {
      if (firstHere) this.inProgress.delete(key);
    }
  }

  /** A tail that missed a message must not be served: on failure it is dropped (refilled on the next miss). */
  private async appendToTail(message: Message): Promise<void> {
    const { tail, logger } = this.deps;
    await tail.append(message).catch(async (error: unknown) => {
      logger.warn({ err: error, roomId: message.roomId }, 'could not add a message to the room tail');
      await tail.drop(message.roomId).catch(() => {});
    });
  }

  /**
   * The room's head and the author's read marker (sending marks the room read) are written
   * shortly after, paced; this process counts them at once, and the ack does not wait.
   */
  private record(message: Message): void {
    const { heads, readMarkers, logger } = this.deps;
    readMarkers.advance(message.roomId, message.authorId, message.seq).catch((error: unknown) => logger.warn({ err: error }, 'could not store a read marker'));
    heads.advance(message).catch((error: unknown) => logger.warn({ err: error, roomId: message.roomId }, 'could not move the room head'));
  }

  private async page(roomId: string, request: HistoryRequest): Promise<HistoryPage> {
    const held = await this.cachedTail(roomId);
    const fromTail = held && pageFromTail(held, request);
    if (fromTail) return fromTail;
    if (!held && request.kind === 'latest') {
      // A miss: read the room's newest messages once, keep them, answer from them.
      const newest = await this.deps.messages.range(roomId, { direction: 'older', below: null, limit: TAIL_SIZE });
      await this.deps.tail
        .fill(roomId, newest.messages)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, roomId }, 'could not fill the room tail'));
      const page = pageFromTail(newest.messages, request);
      if (page) return page;
    }
    return this.pageFromDatabase(roomId, request);
  }

  private async cachedTail(roomId: string): Promise<Message[] | null> {
    try {
      return await this.deps.tail.read(roomId);
    } catch (error) {
      this.deps.logger.warn({ err: error, roomId }, 'could not read the room tail; reading the database');
      return null;
    }
  }

  private async pageFromDatabase(roomId: string, request: HistoryRequest): Promise<HistoryPage> {
    const { messages } = this.deps;
    switch (request.kind) {
      case 'latest': {
        const page = await messages.range(roomId, { direction: 'older', below: null, limit: request.limit });
        return { messages: page.messages, hasMore: page.more, hasOlder: page.more, hasNewer: false };
      }
      case 'before': {
        const page = await messages.range(roomId, { direction: 'older', below: request.seq, limit: request.limit });
        return { messages: page.messages, hasMore: page.more, hasOlder: page.more, hasNewer: true };
      }
      case 'after': {
        const page = await messages.range(roomId, { direction: 'newer', above: request.seq, limit: request.limit });
        return { messages: page.messages, hasMore: page.more, hasOlder: request.seq >= 1, hasNewer: page.more };
      }
      case 'around': {
        const target = await messages.findInRoom(roomId, request.messageId);
        if (!target) throw new AppError('not_found', 'No such message in this room.');
        const olderShare = olderShareOf(request.limit);
        const [older, newer] = await Promise.all([
          messages.range(roomId, { direction: 'older', below: target.seq, limit: olderShare }),
          messages.range(roomId, { direction: 'newer', above: target.seq, limit: request.limit - olderShare - 1 }),
        ]);
        return { messages: [...older.messages, target, ...newer.messages], hasMore: older.more, hasOlder: older.more, hasNewer: newer.more };
      }
    }
  }
}

/** A set that forgets its oldest entries beyond `capacity`. */
class RecentSet {
  private readonly entries = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(value: string): boolean {
    return this.entries.has(value);
  }

  add(value: string): void {
    this.entries.add(value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.values().next().value as string);
  }
}
