// The client-to-server events. Each checks membership against the database, so a
// socket can do nothing its user could not do over HTTP.
import { LIMITS, messageSendPayload, roomEnterPayload, roomLeavePayload, roomReadPayload } from '../../src/shared/contract.js';
import type { InFlight } from '../infra/inFlight.js';
import type { UsageLimits } from '../infra/limits.js';
import type { WorkBound } from '../infra/workBound.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { RoomService } from '../services/rooms.js';
import { handleEvent } from './ack.js';
import { guarded } from './admission.js';
import type { Presence } from './presence.js';
import type { ParleySocket } from './types.js';

export interface HandlerDeps {
  rooms: RoomService;
  messages: MessageService;
  presence: Presence;
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
  const { rooms, messages, presence, logger, requireWritable, inFlight } = deps;
  const me = { userId: socket.data.userId, username: socket.data.username };

  socket.on(
    'room:enter',
    handleEvent(
      'room:enter',
      roomEnterPayload,
      logger,
      guarded(
        () => deps.limits.viewRoom(socket.id),
        deps.workBound,
        async ({ roomId }) => {
          await rooms.getForMember(roomId, me.userId);
          await presence.enter(socket, roomId, () => rooms.getForMember(roomId, me.userId));
          const page = await messages.latest(roomId, LIMITS.historyDefault);
          return { viewers: await presence.viewers(roomId), ...page };
        },
      ),
    ),
  );

  socket.on(
    'room:leave',
    handleEvent(
      'room:leave',
      roomLeavePayload,
      logger,
      guarded(
        () => deps.limits.viewRoom(socket.id),
        undefined,
        async ({ roomId }) => {
          await presence.leave(socket, roomId);
          return {};
        },
      ),
    ),
  );

  socket.on(
    'message:send',
    handleEvent(
      'message:send',
      messageSendPayload,
      logger,
      guarded(
        () => deps.limits.send(me.userId),
        deps.workBound,
        async ({ roomId, clientId, text }) => {
          requireWritable();
          const message = await inFlight.track(() => messages.send({ roomId, authorId: me.userId, clientId, text }));
          return { message };
        },
      ),
    ),
  );

  // "Read up to here", sent by clients every few seconds while viewing; HTTP /read does the same.
  socket.on(
    'room:read',
    handleEvent(
      'room:read',
      roomReadPayload,
      logger,
      guarded(
        () => deps.limits.markRead(socket.id),
        deps.workBound,
        async ({ roomId, seq }) => {
          await messages.markRead(roomId, me.userId, { seq });
          return {};
        },
      ),
    ),
  );

  socket.on('disconnect', () => presence.disconnected(socket));
}
