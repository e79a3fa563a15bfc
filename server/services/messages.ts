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

  /** Sends this process is carrying out now, by author and clientId. */
  private readonly inProgress = new Set<string>();
  /** Messages this process has pushed (the most recent ones). */
  private readonly pushed = new RecentSet(50_000);

  /**
   * Stores the message, then delivers it. A retry with a clientId already stored
   * answers with the stored message and delivers nothing, so nobody sees it twice,
   * when this process stored or pushed it (a retry racing the first attempt, or after
   * a lost ack). A retry reaching another process pushes it, because the attempt that
   * stored it may have died before pushing (clients drop a message id they hold).
   */
  async send(input: { roomId: string; authorId: string; clientId: string; text: string }): Promise<Message> {
    const key = `${input.authorId}:${input.clientId}`;
    const firstHere = !this.inProgress.has(key);
    if (firstHere) this.inProgress.add(key);
    try {
      const room = await this.rooms.findById(input.roomId);
      const author = requireMember(room, input.authorId);
      const result = await this.messages.insertOnce({ ...input, authorUsername: author.username });
      if (!result.created && result.message.roomId !== input.roomId) {
        throw new AppError('client_id_reused', 'That clientId was already used for a message in another room.', { clientId: 'already used' });
      }
      if (result.created || (firstHere && !this.pushed.has(result.message.id))) {
        this.events.messageCreated(room!, result.message);
        this.pushed.add(result.message.id);
      }
      return result.message;
    } finally {
      if (firstHere) this.inProgress.delete(key);
    }
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
