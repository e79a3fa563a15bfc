// Sending and reading messages. Messages are immutable: there is deliberately no
// edit or delete here, nor a route or event for one.
import type { HistoryPage, HistoryQuery, Message } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import { requireMember } from '../domain/membership.js';
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
   * answers with the stored message and delivers nothing, so nobody sees it twice.
   */
  async send(input: { roomId: string; authorId: string; clientId: string; text: string }): Promise<Message> {
    const room = await this.rooms.findById(input.roomId);
    const author = requireMember(room, input.authorId);
    const result = await this.messages.insertOnce({ ...input, authorUsername: author.username });
    if (!result.created) {
      if (result.message.roomId !== input.roomId) {
        throw new AppError('client_id_reused', 'That clientId was already used for a message in another room.', { clientId: 'already used' });
      }
      return result.message;
    }
    this.events.messageCreated(room!, result.message);
    return result.message;
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
