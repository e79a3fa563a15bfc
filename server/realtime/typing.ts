// Typing indicators: who is typing in which room, for the room's viewers. Ephemeral:
// kept in this process's memory only, never stored. A client sends `typing:start` every
// few seconds while its user types; this process pushes `room:typing` to the room's
// viewers (on every process, through the adapter) except the typist's own connections,
// and ends the typist after TYPING.expireAfterMs of silence, or at once on `typing:stop`,
// on a send to the room, on leaving its chat view, and on disconnecting. Clients also
// drop a typist when a message of theirs arrives or they leave, and after
// TYPING.forgetAfterMs without a refresh (a stop lost with a dead process).
import { TYPING, typingPayload, type Viewer } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import type { UsageLimits } from '../infra/limits.js';
import type { Logger } from '../logger.js';
import { handleEvent } from './ack.js';
import { guarded } from './admission.js';
import { channels, type ParleyServer, type ParleySocket } from './types.js';

interface Typist {
  user: Viewer;
  roomId: string;
  /** The connection whose typing:start keeps this typist alive. */
  connectionId: string;
  timer: NodeJS.Timeout;
}

export class TypingIndicators {
  /** By "<roomId>:<userId>": one indicator per user and room, whichever window types. */
  private readonly typists = new Map<string, Typist>();

  constructor(
    private readonly io: ParleyServer,
    private readonly expireAfterMs: number = TYPING.expireAfterMs,
  ) {}

  /** The user is typing in the room (again): tell the viewers, and expire it after a silence. */
  started(socket: ParleySocket, roomId: string): void {
    // Viewing implies membership: entering checked it, and a removal takes the connection out of the view.
    if (!socket.rooms.has(channels.view(roomId))) throw new AppError('room_not_found', 'Enter the room before typing in it.');
    const user: Viewer = { userId: socket.data.userId, username: socket.data.username };
    const key = keyOf(roomId, user.userId);
    const held = this.typists.get(key);
    if (held) clearTimeout(held.timer);
    const timer = setTimeout(() => this.stopped(roomId, user.userId), this.expireAfterMs);
    timer.unref();
    this.typists.set(key, { user, roomId, connectionId: socket.id, timer });
    // Every refresh is pushed, so a viewer who entered meanwhile learns of it within a few seconds.
    this.push(roomId, user, true);
  }

  /** The user stopped typing in the room (sent, stopped, left or fell silent); nothing if they were not typing here. */
  stopped(roomId: string, userId: string): void {
    const key = keyOf(roomId, userId);
    const typist = this.typists.get(key);
    if (!typist) return;
    clearTimeout(typist.timer);
    this.typists.delete(key);
    this.push(roomId, typist.user, false);
  }

  /** A connection closed: whatever it was typing ends. */
  connectionClosed(connectionId: string): void {
    for (const typist of [...this.typists.values()]) {
      if (typist.connectionId === connectionId) this.stopped(typist.roomId, typist.user.userId);
    }
  }

  /** Graceful shutdown: forget every typist without telling anyone (clients forget them too). */
  clear(): void {
    for (const typist of this.typists.values()) clearTimeout(typist.timer);
    this.typists.clear();
  }

  private push(roomId: string, user: Viewer, typing: boolean): void {
    this.io.to(channels.view(roomId)).except(channels.user(user.userId)).emit('room:typing', { roomId, user, typing });
  }
}

const keyOf = (roomId: string, userId: string) => `${roomId}:${userId}`;

/**
 * The typing events of every accepted connection. The connection's own `message:send`
 * and `room:leave` (answered by their handlers) end its typing too: they are observed
 * here, so the other handlers need not know about typing.
 */
export function attachTyping(io: ParleyServer, typing: TypingIndicators, limits: UsageLimits, logger: Logger): void {
  io.on('connection', (socket) => {
    const budget = () => limits.typing(socket.id);
    socket.on(
      'typing:start',
      handleEvent(
        'typing:start',
        typingPayload,
        logger,
        guarded(budget, undefined, async ({ roomId }) => {
          typing.started(socket, roomId);
          return {};
        }),
      ),
    );
    socket.on(
      'typing:stop',
      handleEvent(
        'typing:stop',
        typingPayload,
        logger,
        guarded(budget, undefined, async ({ roomId }) => {
          typing.stopped(roomId, socket.data.userId);
          return {};
        }),
      ),
    );
    const endFor = (payload: unknown) => {
      const roomId = (payload as { roomId?: unknown } | null)?.roomId;
      if (typeof roomId === 'string') typing.stopped(roomId, socket.data.userId);
    };
    socket.on('message:send', endFor);
    socket.on('room:leave', endFor);
    socket.on('disconnect', () => typing.connectionClosed(socket.id));
  });
}
