// Room commands: each loads the room, applies a rule from domain/membership and stores
// the result with compare-and-set, retrying when another request got there first.
import type { Role, RoomDetail, RoomSummary } from '../../src/shared/contract.js';
import { AppError, roomNotFound } from '../domain/errors.js';
import * as rules from '../domain/membership.js';
import type { MessageRepository } from '../persistence/messages.js';
import type { ReadMarkerRepository } from '../persistence/readMarkers.js';
import { RoomRepository } from '../persistence/rooms.js';
import type { UserRepository } from '../persistence/users.js';
import type { RoomEvents } from './events.js';
import { presentRoomDetail, presentRoomSummary } from './presenters.js';

/** Unread counts stop here; clients show "999+". */
export const UNREAD_CAP = 999;
const MAX_CAS_ATTEMPTS = 20;

export class RoomService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly users: UserRepository,
    private readonly messages: MessageRepository,
    private readonly readMarkers: ReadMarkerRepository,
    private readonly events: RoomEvents,
  ) {}

  async list(userId: string): Promise<RoomSummary[]> {
    const [rooms, markers] = await Promise.all([this.rooms.listForUser(userId), this.readMarkers.forUser(userId)]);
    const summaries = await Promise.all(rooms.map((room) => this.summarize(room, userId, markers.get(room.id) ?? null)));
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
    const room = await this.rooms.findById(roomId);
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
    const user = await this.users.findByUsername(username);
    if (!user) throw new AppError('user_not_found', `No user is called ${username}.`, { username: 'no such user' });
    const { after } = await this.mutate(roomId, (room) => rules.addMember(room, actorId, { userId: user.id, username: user.username }, new Date()));
    const summary = await this.summarize(after, user.id, null);
    this.events.roomAdded(user.id, summary);
    this.events.roomUpdated(after);
    return presentRoomDetail(after);
  }

  async removeMember(roomId: string, actorId: string, targetId: string): Promise<void> {
    const { after } = await this.mutate(roomId, (room) => rules.removeMember(room, actorId, targetId));
    await this.readMarkers.deleteFor(roomId, targetId);
    await this.events.roomRemoved(roomId, [targetId], actorId === targetId ? 'left' : 'removed');
    this.events.roomUpdated(after);
  }

  async setRole(roomId: string, actorId: string, targetId: string, role: Role): Promise<RoomDetail> {
    const { before, after } = await this.mutate(roomId, (room) => rules.setRole(room, actorId, targetId, role));
    if (before !== after) this.events.roomUpdated(after);
    return presentRoomDetail(after);
  }

  /** The room goes first (so nothing new can be posted), then its history and read markers. */
  async delete(roomId: string, actorId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      rules.requireCanDelete(room, actorId);
      if (await this.rooms.deleteIfUnchanged(roomId, room!.version)) {
        await Promise.all([this.messages.deleteForRoom(roomId), this.readMarkers.deleteForRoom(roomId)]);
        await this.events.roomRemoved(roomId, room!.members.map((m) => m.userId), 'deleted');
        return;
      }
      await backoff(attempt);
    }
    throw tooBusy();
  }

  async markRead(roomId: string, userId: string, messageId: string): Promise<void> {
    await this.getForMember(roomId, userId);
    const message = await this.messages.findById(messageId);
    if (!message || message.roomId !== roomId) throw new AppError('not_found', 'No such message in this room.');
    await this.readMarkers.markRead(roomId, userId, messageId);
  }

  private async summarize(room: rules.Room, userId: string, lastReadId: string | null): Promise<RoomSummary> {
    const lastMessage = await this.messages.newest(room.id);
    const unread = lastMessage ? await this.messages.countUnread(room.id, userId, lastReadId, UNREAD_CAP) : 0;
    return presentRoomSummary(room, userId, lastMessage, unread);
  }

  /** Read, apply a rule, compare-and-set; on a lost race, re-read and re-check the rule. */
  private async mutate(roomId: string, change: (room: rules.Room) => rules.Room): Promise<{ before: rules.Room; after: rules.Room }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      if (!room) throw roomNotFound();
      const next = change(room);
      if (next === room) return { before: room, after: room };
      if (await this.rooms.compareAndSet(next, room.version)) {
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
