// Room commands: each loads the room, applies a rule from domain/membership and stores
// the result with compare-and-set, retrying when another request got there first.
import { UNREAD_CAP, type Role, type RoomDetail, type RoomSummary } from '../../src/shared/contract.js';
import type { RoomCache } from '../cache/roomCache.js';
import { AppError, roomNotFound } from '../domain/errors.js';
import * as rules from '../domain/membership.js';
import type { Logger } from '../logger.js';
import type { MessageRepository } from '../persistence/messages.js';
import type { ReadMarkerRepository } from '../persistence/readMarkers.js';
import type { RoomHead, RoomHeadRepository } from '../persistence/roomHeads.js';
import { RoomRepository } from '../persistence/rooms.js';
import type { UserRepository } from '../persistence/users.js';
import type { RoomChanges, RoomEvents } from './events.js';
import type { MessageService } from './messages.js';
import { presentRoomDetail, presentRoomSummary } from './presenters.js';

const MAX_CAS_ATTEMPTS = 20;

export interface RoomServiceDeps {
  rooms: RoomRepository;
  cache: RoomCache;
  users: UserRepository;
  messages: MessageRepository;
  heads: RoomHeadRepository;
  readMarkers: ReadMarkerRepository;
  messageService: MessageService;
  events: RoomEvents;
  changes: RoomChanges;
  logger: Logger;
}

export class RoomService {
  private readonly rooms: RoomRepository;
  private readonly events: RoomEvents;

  constructor(private readonly deps: RoomServiceDeps) {
    this.rooms = deps.rooms;
    this.events = deps.events;
  }

  /**
   * The user's rooms with their newest message and unread count, in a fixed number of
   * queries however many rooms and messages there are: the rooms, the user's read
   * markers, and the rooms' heads. Unread is the head's seq minus the marker's.
   */
  async list(userId: string): Promise<RoomSummary[]> {
    const rooms = await this.rooms.listForUser(userId);
    const ids = rooms.map((r) => r.id);
    const [markers, heads] = await Promise.all([this.deps.readMarkers.forUser(userId, ids), this.deps.heads.forRooms(ids)]);
    const summaries = rooms.map((room) => summarize(room, userId, heads.get(room.id), markers.get(room.id) ?? 0));
    // Most recently active first, like every chat app's sidebar.
    const activity = (s: RoomSummary) => s.lastMessage?.createdAt ?? '';
    return summaries.sort((a, b) => activity(b).localeCompare(activity(a)) || a.name.localeCompare(b.name));
  }

  async create(userId: string, username: string, name: string): Promise<RoomSummary> {
    const room = rules.newRoom(RoomRepository.newId(), name, { userId, username }, new Date());
    await this.rooms.insert(room);
    return presentRoomSummary(room, userId, null, 0);
  }

  /** The room for a member; 404 for anyone else, whether or not it exists. */
  async getForMember(roomId: string, userId: string): Promise<rules.Room> {
    const room = await this.deps.cache.get(roomId);
    rules.requireMember(room, userId);
    return room!;
  }

  async detail(roomId: string, userId: string): Promise<RoomDetail> {
    return presentRoomDetail(await this.getForMember(roomId, userId));
  }

  async rename(roomId: string, actorId: string, name: string): Promise<RoomDetail> {
    const { after } = await this.mutate(roomId, (room) => rules.rename(room, actorId, name));
    this.events.roomUpdated(after);
    return presentRoomDetail(after);
  }

  async addMember(roomId: string, actorId: string, username: string): Promise<RoomDetail> {
    // Checking admin rights before the user lookup keeps non-admins from probing usernames.
    rules.requireAdmin(await this.rooms.findById(roomId), actorId);
    const user = await this.deps.users.findByUsername(username);
    if (!user) throw new AppError('user_not_found', `No user is called ${username}.`, { username: 'no such user' });
    const { after } = await this.mutate(roomId, (room) => rules.addMember(room, actorId, { userId: user.id, username: user.username }, new Date()));
    const heads = await this.deps.heads.forRooms([roomId]).catch(() => new Map<string, RoomHead>());
    this.events.roomAdded(user.id, summarize(after, user.id, heads.get(roomId), 0));
    this.events.roomUpdated(after);
    return presentRoomDetail(after);
  }

  /** Committed first, announced next; the removed member's read marker is cleaned up last. */
  async removeMember(roomId: string, actorId: string, targetId: string): Promise<void> {
    const { after } = await this.mutate(roomId, (room) => rules.removeMember(room, actorId, targetId));
    await this.events.roomRemoved(roomId, [targetId], actorId === targetId ? 'left' : 'removed');
    this.events.roomUpdated(after);
    await this.cleanUp('read marker of a removed member', () => this.deps.readMarkers.deleteFor(roomId, targetId));
  }

  async setRole(roomId: string, actorId: string, targetId: string, role: Role): Promise<RoomDetail> {
    const { before, after } = await this.mutate(roomId, (room) => rules.setRole(room, actorId, targetId, role));
    if (before !== after) this.events.roomUpdated(after);
    return presentRoomDetail(after);
  }

  /**
   * The room goes first (so nothing new can be posted), every process forgets it and
   * finishes the sends that had already checked it, the members are told, and then its
   * history, head and read markers are removed.
   */
  async delete(roomId: string, actorId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      rules.requireCanDelete(room, actorId);
      if (await this.rooms.deleteIfUnchanged(roomId, room!.version)) {
        await this.deps.changes.roomChanged(roomId);
        await this.events.roomRemoved(roomId, room!.members.map((m) => m.userId), 'deleted');
        await this.cleanUp('history of a deleted room', () =>
          Promise.all([
            this.deps.messages.deleteForRoom(roomId),
            this.deps.readMarkers.deleteForRoom(roomId),
            this.deps.heads.delete(roomId),
            this.deps.messageService.forgetRoom(roomId),
          ]),
        );
        return;
      }
      await backoff(attempt);
    }
    throw tooBusy();
  }

  /** Follow-up work after a committed change: a failure is logged, never turned into a failed answer. */
  private async cleanUp(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.logger.warn({ err: error }, `could not remove the ${what}; it is unreachable and harmless`);
    }
  }

  /** Read, apply a rule, compare-and-set; on a lost race, re-read and re-check the rule. */
  private async mutate(roomId: string, change: (room: rules.Room) => rules.Room): Promise<{ before: rules.Room; after: rules.Room }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      if (!room) throw roomNotFound();
      const next = change(room);
      if (next === room) return { before: room, after: room };
      if (await this.rooms.compareAndSet(next, room.version)) {
        // Every process forgets the old room (and finishes sends that checked it) before anyone hears of the change.
        await this.deps.changes.roomChanged(roomId);
        return { before: room, after: { ...next, version: room.version + 1 } };
      }
      await backoff(attempt);
    }
    throw tooBusy();
  }
}

const tooBusy = () => new AppError('service_unavailable', 'The room is changing too fast; try again.');

/** A short, growing, jittered pause so writers that lost a race do not collide again at once. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));

function summarize(room: rules.Room, userId: string, head: RoomHead | undefined, lastReadSeq: number): RoomSummary {
  const unread = head ? Math.min(Math.max(head.lastSeq - lastReadSeq, 0), UNREAD_CAP) : 0;
  return presentRoomSummary(room, userId, head?.lastMessage ?? null, unread);
}
