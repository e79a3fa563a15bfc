// Presence: who is looking at which room's chat, and every `room:presence` push. The
// viewer registry (in memory, or in Redis for several processes) counts connections per
// user; this module joins and leaves the `view:` channels, announces "entered" for a
// user's first connection and "left" after their last, and puts the registry right
// again after a Redis outage. Nothing else emits room:presence.
import type { Viewer } from '../../src/shared/contract.js';
import type { Logger } from '../logger.js';
import { channels, type ParleyServer, type ParleySocket } from './types.js';
import type { ViewerRegistry } from './viewers.js';

export class Presence {
  constructor(
    private readonly io: ParleyServer,
    private readonly registry: ViewerRegistry,
    private readonly logger: Logger,
  ) {}

  /** Renews this process's share of a shared registry until stop(). */
  start(): void {
    this.registry.start?.();
  }

  async stop(): Promise<void> {
    await this.registry.stop?.();
  }

  /** A connection passed its session check (a shared registry cleans up after a dead process with it). */
  connectionOpened(socket: ParleySocket): void {
    this.registry.connectionOpened(socket.id, viewerOf(socket)).catch((error: unknown) => this.logger.warn({ err: error }, 'could not register connection'));
  }

  /**
   * The connection views the room: joins its channel and registers it, then checks
   * membership again (a removal landing between the first check and the join would leave
   * it viewing a room it no longer belongs to), then announces the user if this is their
   * first connection here.
   */
  async enter(socket: ParleySocket, roomId: string, requireMember: () => Promise<unknown>): Promise<void> {
    const me = viewerOf(socket);
    await socket.join(channels.view(roomId));
    const { firstForUser } = await this.registry.enter(roomId, me, socket.id);
    try {
      await requireMember();
    } catch (error) {
      await socket.leave(channels.view(roomId));
      await this.registry.leave(roomId, me.userId, socket.id);
      throw error;
    }
    if (firstForUser) socket.to(channels.view(roomId)).emit('room:presence', { roomId, user: me, action: 'entered' });
  }

  /**
   * Who is viewing the room. The enter answer reads it last, just before it is sent: the
   * client replaces its list with the answer, so a list read earlier would undo an
   * "entered" pushed to the new viewer while the rest of the answer was being read.
   */
  viewers(roomId: string): Promise<Viewer[]> {
    return this.registry.viewers(roomId);
  }

  async leave(socket: ParleySocket, roomId: string): Promise<void> {
    const me = viewerOf(socket);
    await socket.leave(channels.view(roomId));
    const { lastForUser } = await this.registry.leave(roomId, me.userId, socket.id);
    if (lastForUser) this.announceLeft(roomId, me);
  }

  /** Closing the app or losing the connection counts as leaving every room being viewed. */
  disconnected(socket: ParleySocket): void {
    this.registry
      .roomsOf(socket.id)
      .then((roomIds) => Promise.all(roomIds.map((roomId) => this.leave(socket, roomId))))
      .then(() => this.registry.connectionClosed(socket.id))
      .catch((error: unknown) => this.logger.error({ err: error }, 'presence cleanup failed'));
  }

  /** The users are no longer members: their chat views close, and the others see them leave. */
  async usersRemoved(roomId: string, userIds: string[]): Promise<void> {
    this.io.in(userIds.map(channels.user)).socketsLeave(channels.view(roomId));
    const viewing = await this.registry.viewers(roomId);
    for (const userId of userIds) {
      const viewer = viewing.find((v) => v.userId === userId);
      const { wasViewing } = await this.registry.removeUser(roomId, userId);
      if (wasViewing && viewer) this.announceLeft(roomId, viewer);
    }
  }

  /** The room is gone: every view of it closes, nobody is announced. */
  async roomDeleted(roomId: string, memberIds: string[]): Promise<void> {
    this.io.in(memberIds.map(channels.user)).socketsLeave(channels.view(roomId));
    await this.registry.clearRoom(roomId);
  }

  /** A user left a room without a connection of this process saying so (their process died). */
  announceLeft(roomId: string, viewer: Viewer): void {
    this.io.to(channels.view(roomId)).emit('room:presence', { roomId, user: viewer, action: 'left' });
  }

  /**
   * After a Redis outage: a restarted Redis holds no presence, so this process's
   * connections and chat views are registered again (from the `view:` channels they are
   * in), and its clients are told to catch up on the pushes that were lost meanwhile.
   */
  async resynchronise(): Promise<void> {
    for (const socket of this.io.sockets.sockets.values()) {
      const viewer = viewerOf(socket);
      await this.registry.connectionOpened(socket.id, viewer);
      for (const channel of socket.rooms) {
        const roomId = channels.viewedRoom(channel);
        if (roomId) await this.registry.enter(roomId, viewer, socket.id);
      }
    }
    this.io.local.emit('sync:required', { reason: 'redis_recovered' });
  }
}

const viewerOf = (socket: ParleySocket): Viewer => ({ userId: socket.data.userId, username: socket.data.username });
