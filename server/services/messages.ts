// Sending and reading messages. Messages are immutable: there is deliberately no
// edit or delete here, nor a route or event for one.
import type { HistoryPage, HistoryQuery, Message } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import { requireMember, type Room } from '../domain/membership.js';
import type { MessageRepository, PageRequest } from '../persistence/messages.js';
import type { RoomRepository } from '../persistence/rooms.js';
import type { RoomEvents } from './events.js';

export class MessageService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly messages: MessageRepository,
    private readonly events: RoomEvents,
  ) {}

  /**
   * Stores the message, then delivers it. A retry with a clientId already stored
   * answers with the stored message and delivers nothing, so nobody sees it twice;
   * unless the attempt that stored it ended before delivering it (its process died),
   * in which case the retry delivers it now.
   */
  async send(input: { roomId: string; authorId: string; clientId: string; text: string }): Promise<Message> {
    const room = await this.rooms.findById(input.roomId);
    const author = requireMember(room, input.authorId);
    const result = await this.messages.insertOnce({ ...input, authorUsername: author.username });
    if (!result.created && result.message.roomId !== input.roomId) {
      throw new AppError('client_id_reused', 'That clientId was already used for a message in another room.', { clientId: 'already used' });
    }
    if (result.created || result.undelivered) this.deliver(room!, result.message);
    return result.message;
  }

  private deliver(room: Room, message: Message): void {
    this.events.messageCreated(room, message);
    // Not awaited: the sender's ack does not wait for the bookkeeping. If it is lost, a
    // later retry delivers the message again, which clients drop by id.
    this.messages.markDelivered(message.id).catch(() => {});
  }

  async history(roomId: string, userId: string, query: HistoryQuery): Promise<HistoryPage> {
    requireMember(await this.rooms.findById(roomId), userId);
    return this.messages.page(roomId, toPageRequest(query));
  }

  /** The newest page, for entering a room; the caller has already checked membership. */
  latest(roomId: string, limit: number): Promise<HistoryPage> {
    return this.messages.page(roomId, { kind: 'latest', limit });
  }
}

function toPageRequest(q: HistoryQuery): PageRequest {
  if (q.before) return { kind: 'before', messageId: q.before, limit: q.limit };
  if (q.after === 'start') return { kind: 'first', limit: q.limit };
  if (q.after) return { kind: 'after', messageId: q.after, limit: q.limit };
  return { kind: 'latest', limit: q.limit };
}
