// Fairness and backpressure for sockets: which handshakes are accepted, and the guard
// each event passes before its handler runs. The handshake refusals reach the client
// as `connect_error` with the contract's error object in `data`, like a bad token.
import { createHash } from 'node:crypto';
import { handshakeAuth, type Ack, type ApiError } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import type { Release, SocketBudget, UsageLimits } from '../infra/limits.js';
import { overloaded, type WorkBound } from '../infra/workBound.js';
import type { ClientEvent } from './ack.js';
import type { ParleyServer, ParleySocket } from './types.js';

/**
 * Before authentication, at no database cost (the session lookup is database work):
 * - a process at its bound refuses new sockets with `overloaded`;
 * - one token may hold at most `socketsPerUser` connections on this process, counted
 *   from the handshake until the connection closes, so a burst of sockets with one token
 *   is refused here instead of each looking the session up;
 * - one token may start at most `socketOpensPerMinute` handshakes a minute on this
 *   process, so a reconnect loop cannot turn into a stream of session lookups.
 */
export function admitBeforeAuthentication(io: ParleyServer, workBound: WorkBound, limits: UsageLimits): void {
  const slots = new ConnectionsPerToken();
  io.use((socket, next) => {
    if (workBound.full()) return next(connectError(overloaded()));
    const parsed = handshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(); // authentication refuses it
    const token = createHash('sha256').update(parsed.data.token).digest('base64url');
    const connection = socket.conn;
    if (!slots.take(token, connection, limits.settings.socketsPerUser)) return next(connectError(limits.tooManySockets()));
    const release = () => slots.give(token, connection);
    limits.openingSocket(token).then(
      () => {
        connection.once('close', release);
        next();
      },
      (error: unknown) => {
        release();
        next(connectError(error instanceof AppError ? error : limits.tooManySockets()));
      },
    );
  });
}

/**
 * After authentication: a user with `socketsPerUser` sockets open (on any process, with
 * Redis) is refused `rate_limited`. The slot is given back when the socket ends, also
 * when its transport closed before the handshake finished (then 'disconnect' never fires).
 */
export function capSocketsPerUser(io: ParleyServer, limits: UsageLimits): void {
  io.use((socket, next) => {
    const { userId } = socket.data;
    limits.openSocket(userId, socket.id).then(
      () => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          void limits.closeSocket(userId, socket.id);
        };
        socket.once('disconnect', release);
        socket.conn.once('close', release);
        if (socket.conn.readyState !== 'open') release();
        next();
      },
      (error: unknown) =>
        next(connectError(error instanceof AppError ? error : new AppError('service_unavailable', 'Could not open the connection; try again.'))),
    );
  });
}

interface EventBudget {
  budget: SocketBudget;
  key(socket: ParleySocket): string;
}

/** Which budget each client event spends, and whose: every event of the contract has one. */
const EVENT_BUDGETS: Record<ClientEvent, EventBudget> = {
  'message:send': { budget: 'send', key: (socket) => socket.data.userId },
  'room:enter': { budget: 'roomView', key: (socket) => socket.id },
  'room:leave': { budget: 'roomView', key: (socket) => socket.id },
  'room:read': { budget: 'readMark', key: (socket) => socket.id },
  'typing:start': { budget: 'typing', key: (socket) => socket.id },
  'typing:stop': { budget: 'typing', key: (socket) => socket.id },
};

/**
 * A connection that sends this many events in a row into a refusal is not backing off
 * (Parley's clients wait retryAfterMs), so its transport is closed rather than read on:
 * the rest of its flood is never decoded. Its client may reconnect; it starts over
 * refused. (Discord's gateway closes a connection that exceeds its rate limit the same way.)
 */
export const CLOSE_AFTER_TURNED_AWAY = 100;

const TOO_MANY_IN_FLIGHT = {
  code: 'rate_limited',
  message: 'Too many requests at once on this connection; wait for their answers before sending more.',
  retryAfterMs: 1000,
} as const satisfies ApiError;

/**
 * Sheds a flood on one connection before it costs anything, synchronously as each event
 * arrives (before validation, without a limiter call or an Error per event):
 * - while a budget is refusing a user or connection (it refused once and the wait has
 *   not passed), that budget's events are answered with the same `rate_limited`;
 * - beyond `eventsInFlightPerConnection` unanswered events, the next ones are answered
 *   `rate_limited` (a burst arriving in one read is otherwise all let through before the
 *   first refusal is known). Parley's clients keep one send per room in flight and wait
 *   for each answer, so they stay far below;
 * - after CLOSE_AFTER_TURNED_AWAY such answers in a row, the transport is closed.
 * The handlers' own budget checks (guarded) remain the authority.
 */
export function shedFloods(io: ParleyServer, limits: UsageLimits): void {
  io.on('connection', (socket) => {
    let inFlight = 0;
    let turnedAwayInARow = 0;
    socket.use((packet, next) => {
      // Anything may arrive on the wire: an unknown name spends nothing here (no handler answers it).
      const spends: EventBudget | undefined = (EVENT_BUDGETS as Partial<Record<string, EventBudget>>)[packet[0]];
      if (!spends) return next();
      const last: unknown = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: Ack) => void) : undefined;
      const refusal =
        limits.standingRefusal(spends.budget, spends.key(socket)) ?? (inFlight >= limits.settings.eventsInFlightPerConnection ? TOO_MANY_IN_FLIGHT : undefined);
      if (refusal) {
        ack?.({ ok: false, error: refusal });
        if (++turnedAwayInARow === CLOSE_AFTER_TURNED_AWAY) socket.conn.close();
        return;
      }
      turnedAwayInARow = 0;
      // These events always answer (handleEvent), so every one counted is given back.
      if (ack) {
        inFlight++;
        packet[packet.length - 1] = (answer: Ack) => {
          inFlight--;
          ack(answer);
        };
      }
      next();
    });
  });
}

/**
 * Wraps a socket event handler: first the caller's budget (cheap, no database; it may
 * hand back a turn to release when done), then, for handlers that query the database, a
 * place within the process's bound.
 */
export function guarded<P, R>(
  budget: () => Promise<void | Release>,
  workBound: WorkBound | undefined,
  handler: (payload: P) => Promise<R>,
): (payload: P) => Promise<R> {
  return async (payload) => {
    const release = await budget();
    try {
      return await (workBound ? workBound.run(() => handler(payload)) : handler(payload));
    } finally {
      release?.();
    }
  };
}

/** Open transport connections per presented token (hashed), on this process. */
class ConnectionsPerToken {
  private readonly byToken = new Map<string, Set<object>>();

  take(token: string, connection: object, max: number): boolean {
    const held = this.byToken.get(token) ?? new Set<object>();
    if (!held.has(connection) && held.size >= max) return false;
    held.add(connection);
    this.byToken.set(token, held);
    return true;
  }

  give(token: string, connection: object): void {
    const held = this.byToken.get(token);
    held?.delete(connection);
    if (held?.size === 0) this.byToken.delete(token);
  }
}

function connectError(error: AppError): Error {
  return Object.assign(new Error(error.message), { data: error.toJSON() });
}
