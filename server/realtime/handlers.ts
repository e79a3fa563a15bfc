// The client-to-server events. Each checks membership against the database, so a
// socket can do nothing its user could not do over HTTP.
import { LIMITS, messageSendPayload, roomEnterPayload, roomLeavePayload, roomReadPayload, type RoomEnterAnswer, type Viewer } from '../../src/shared/contract.js';
import type { InFlight } from '../infra/inFlight.js';
import type { UsageLimits } from '../infra/limits.js';
import type { WorkBound } from '../infra/workBound.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { RoomService } from '../services/rooms.js';
import { handleEvent } from './ack.js';
import { guarded } from './admission.js';
import { channels, type ParleyServer, type ParleySocket } from './types.js';
import type { ViewerRegistry } from './viewers.js';

export interface HandlerDeps {
  io: ParleyServer;
  rooms: RoomService;
  messages: MessageService;
  viewers: ViewerRegistry;
  logger: Logger;
  /** Throws service_unavailable while changes cannot be stored and delivered. */
  requireWritable(): void;
  inFlight: InFlight;
  /** Per-user and per-connection budgets: every event is checked before it runs. */
  limits: UsageLimits;
  /** Events that query the database run within the process's bound. */
  workBound: WorkBound;
}

export function registerHandlers(socket: ParleySocket, deps: HandlerDeps): void {
  const { io, rooms, messages, viewers, logger, requireWritable, inFlight } = deps;
  const me: Viewer = { userId: socket.data.userId, username: socket.data.username };

  async function leaveView(roomId: string): Promise<void> {
    await socket.leave(channels.view(roomId));
    const { lastForUser } = await viewers.leave(roomId, me.userId, socket.id);
    if (lastForUser) io.to(channels.view(roomId)).emit('room:presence', { roomId, user: me, action: 'left' });
  }

  socket.on(
    'room:enter',
    handleEvent('room:enter', roomEnterPayload, logger, guarded(() => deps.limits.viewRoom(socket.id), deps.workBound, async ({ roomId }): Promise<RoomEnterAnswer> => {
      await rooms.getForMember(roomId, me.userId);
      await socket.join(channels.view(roomId));
      const { firstForUser } = await viewers.enter(roomId, me, socket.id);
      // A removal that landed between the check and the join would leave us viewing a
      // room we no longer belong to: check again now that we are registered.
      try {
        await rooms.getForMember(roomId, me.userId);
      } catch (error) {
        await socket.leave(channels.view(roomId));
        await viewers.leave(roomId, me.userId, socket.id);
        throw error;
      }
      if (firstForUser) socket.to(channels.view(roomId)).emit('room:presence', { roomId, user: me, action: 'entered' });
      const [page, viewing] = await Promise.all([messages.latest(roomId, LIMITS.historyDefault), viewers.viewers(roomId)]);
      return { viewers: viewing, ...page };
    })),
  );

  socket.on(
    'room:leave',
    handleEvent('room:leave', roomLeavePayload, logger, guarded(() => deps.limits.viewRoom(socket.id), undefined, async ({ roomId }) => {
      await leaveView(roomId);
      return {};
    })),
  );

  socket.on(
    'message:send',
    handleEvent('message:send', messageSendPayload, logger, guarded(() => deps.limits.send(me.userId), deps.workBound, async ({ roomId, clientId, text }) => {
      requireWritable();
      const message = await inFlight.track(() => messages.send({ roomId, authorId: me.userId, clientId, text }));
      return { message };
    })),
  );

  // "Read up to here", sent by clients every few seconds while viewing; HTTP /read does the same.
  socket.on(
    'room:read',
    handleEvent('room:read', roomReadPayload, logger, guarded(() => deps.limits.markRead(socket.id), deps.workBound, async ({ roomId, seq }) => {
      await messages.markRead(roomId, me.userId, { seq });
      return {};
    })),
  );

  // Closing the app or losing the connection counts as leaving every room being viewed.
  socket.on('disconnect', () => {
    viewers
      .roomsOf(socket.id)
      .then((roomIds) => Promise.all(roomIds.map(leaveView)))
      .then(() => viewers.connectionClosed(socket.id))
      .catch((error: unknown) => logger.error({ err: error }, 'presence cleanup failed'));
  });
}
