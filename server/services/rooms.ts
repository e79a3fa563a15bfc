// Room commands: each loads the room, applies a rule from domain/membership and stores
// the result with compare-and-set, retrying when another request got there first.
import { UNREAD_CAP, type Role, type RoomDetail, type RoomSummary } from '../../src/shared/contract.js';
import { compareRooms } from '../../src/shared/roomRules.js';
import { AppError, roomNotFound } from '../domain/errors.js';
import * as rules from '../domain/membership.js';
import type { Logger } from '../logger.js';
import type { MentionRepository } from '../persistence/mentions.js';
import type { RoomHead } from '../persistence/roomHeads.js';
import { RoomRepository } from '../persistence/rooms.js';
import type { RoomChanges, RoomEvents } from './events.js';
import { countUnreadMentions } from './mentionCounts.js';
import type { ReadMarkerStore, RoomHeadStore, RoomStore, UserStore } from './ports.js';
import { presentRoomDetail, presentRoomSummary } from './presenters.js';
import type { RoomCleaner } from './roomCleaner.js';

const MAX_CAS_ATTEMPTS = 20;

export interface RoomServiceDeps {
  rooms: RoomStore;
  /** Membership checks read through it (cache/roomCache.ts). */
  cache: { get(roomId: string): Promise<rules.Room | null> };
  users: Pick<UserStore, 'findByUsername'>;
  heads: RoomHeadStore;
  readMarkers: ReadMarkerStore;
  mentions: Pick<MentionRepository, 'forUser' | 'removeRead'>;
  /** The follow-up work of deletions and removals, retried until done. */
  cleaner: Pick<RoomCleaner, 'record' | 'run'>;
  events: RoomEvents;
  changes: RoomChanges;
  logger: Logger;
}

export class RoomService {
  private readonly rooms: RoomStore;
  private readonly events: RoomEvents;

  constructor(private readonly deps: RoomServiceDeps) {
    this.rooms = deps.rooms;
    this.events = deps.events;
  }

  /**
   * The user's rooms with their newest message, unread and mention counts, in a fixed
   * number of queries however many rooms and messages there are: the rooms, the user's
   * read markers, the rooms' heads and the user's unread mentions. Unread is the head's
   * seq minus the marker's; mentions count those past the marker.
   */
  async list(userId: string): Promise<RoomSummary[]> {
    const rooms = await this.rooms.listForUser(userId);
    const ids = rooms.map((r) => r.id);
    const [markers, heads, mentions] = await Promise.all([
      this.deps.readMarkers.forUser(userId, ids),
      this.deps.heads.forRooms(ids),
      this.deps.mentions.forUser(userId),
    ]);
    const { counts: mentionCounts, read } = countUnreadMentions(mentions, markers, new Set(ids));
    this.deps.mentions.removeRead(userId, read).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not remove read mentions'));
    const summaries = rooms.map((room) => summarize(room, userId, heads.get(room.id), markers.get(room.id) ?? 0, mentionCounts.get(room.id) ?? 0));
    // Most recently active first, like every chat app's sidebar; clients keep the same order.
    return summaries.sort(compareRooms);
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
    this.announce('room:updated', () => this.events.roomUpdated(after));
    return presentRoomDetail(after);
  }

  async addMember(roomId: string, actorId: string, username: string): Promise<RoomDetail> {
    // Checking admin rights before the user lookup keeps non-admins from probing usernames.
    rules.requireAdmin(await this.rooms.findById(roomId), actorId);
    const user = await this.deps.users.findByUsername(username);
    if (!user) throw new AppError('user_not_found', `No user is called ${username}.`, { username: 'no such user' });
    const { after } = await this.mutate(roomId, (room) => rules.addMember(room, actorId, { userId: user.id, username: user.username }, new Date()));
    const heads = await this.deps.heads.forRooms([roomId]).catch(() => new Map<string, RoomHead>());
    this.announce('room:added', () => this.events.roomAdded(user.id, summarize(after, user.id, heads.get(roomId), 0)));
    this.announce('room:updated', () => this.events.roomUpdated(after));
    return presentRoomDetail(after);
  }

  /**
   * Committed first, then announced, then the removed member's read marker is removed;
   * once committed, the answer is success whatever the rest meets (a failed cleanup is
   * retried by the RoomCleaner).
   */
  async removeMember(roomId: string, actorId: string, targetId: string): Promise<void> {
    const cleanup = { kind: 'member-removed', roomId, userId: targetId } as const;
    const { before, after } = await this.mutate(
      roomId,
      (room) => rules.removeMember(room, actorId, targetId),
      () => this.deps.cleaner.record(cleanup),
    );
    const by = actorId === targetId ? undefined : rules.findMember(before, actorId)?.username;
    await this.announce('room:removed', () => this.events.roomRemoved(roomId, [targetId], actorId === targetId ? 'left' : 'removed', by));
    this.announce('room:updated', () => this.events.roomUpdated(after));
    await this.deps.cleaner.run(cleanup);
  }

  async setRole(roomId: string, actorId: string, targetId: string, role: Role): Promise<RoomDetail> {
    const { before, after } = await this.mutate(roomId, (room) => rules.setRole(room, actorId, targetId, role));
    if (before !== after) this.announce('room:updated', () => this.events.roomUpdated(after));
    return presentRoomDetail(after);
  }

  /**
   * The room is deleted while every process holds it (no send is stored meanwhile, and
   * none after: each has forgotten the room when it lets the held sends go); then the
   * members are told, and then its history, head and read markers are removed (by the
   * RoomCleaner: a failure there does not fail the answer, it is retried until done).
   */
  async delete(roomId: string, actorId: string): Promise<void> {
    const cleanup = { kind: 'room-deleted', roomId } as const;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      rules.requireCanDelete(room, actorId);
      await this.deps.cleaner.record(cleanup);
      if (await this.deps.changes.change(roomId, () => this.rooms.deleteIfUnchanged(roomId, room!.version))) {
        const by = rules.findMember(room!, actorId)?.username;
        await this.announce('room:removed', () =>
          this.events.roomRemoved(
            roomId,
            room!.members.map((m) => m.userId),
            'deleted',
            by,
          ),
        );
        await this.deps.cleaner.run(cleanup);
        return;
      }
      await backoff(attempt);
    }
    throw tooBusy();
  }

  /** Telling clients of a committed change: a failure is logged, never turned into a failed answer (the change happened). */
  private async announce(what: string, push: () => void | Promise<void>): Promise<void> {
    try {
      await push();
    } catch (error) {
      this.deps.logger.warn({ err: error }, `could not announce ${what} for a committed change`);
    }
  }

  /**
   * Read, apply a rule, compare-and-set; on a lost race, re-read and re-check the rule.
   * `beforeWrite` runs before each write (a note for the cleanup the change leaves).
   */
  private async mutate(
    roomId: string,
    change: (room: rules.Room) => rules.Room,
    beforeWrite?: () => Promise<void>,
  ): Promise<{ before: rules.Room; after: rules.Room }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const room = await this.rooms.findById(roomId);
      if (!room) throw roomNotFound();
      const next = change(room);
      if (next === room) return { before: room, after: room };
      await beforeWrite?.();
      // Written while every process holds the room, and answered once each has forgotten its old copy.
      if (await this.deps.changes.change(roomId, () => this.rooms.compareAndSet(next, room.version))) {
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

function summarize(room: rules.Room, userId: string, head: RoomHead | undefined, lastReadSeq: number, mentionCount = 0): RoomSummary {
  const unread = head ? Math.min(Math.max(head.lastSeq - lastReadSeq, 0), UNREAD_CAP) : 0;
  return presentRoomSummary(room, userId, head?.lastMessage ?? null, unread, mentionCount);
}
