// The Socket.IO server: authenticates every connection in the handshake, places it in
// its session's and its user's channels and checks the session once more;
// ends it when the session ends or expires, and hands it to the event handlers.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { handshakeAuth } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import { originAllowed } from '../http/origins.js';
import type { AuthService } from '../services/auth.js';
import { registerHandlers, type HandlerDeps } from './handlers.js';
import { channels, type ParleyServer, type ParleySocket } from './types.js';

/** setTimeout cannot wait longer than this (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RealtimeOptions {
  /** Browser origins allowed to open a socket; a client that sends no Origin (not a web page) always may. */
  corsOrigins: readonly string[];
}

export function createSocketServer(httpServer: HttpServer, options: RealtimeOptions): ParleyServer {
  return new Server(httpServer, {
    path: '/socket.io',
    // The largest legal payload is a 4000-character message; refuse anything far beyond.
    maxHttpBufferSize: 64 * 1024,
    cors: { origin: [...options.corsOrigins] },
    // Checked before the transport opens: a page from another origin never gets a socket (403).
    allowRequest: (req, callback) => callback(null, originAllowed(options.corsOrigins, req.headers.origin)),
  });
}

export function attachRealtime(io: ParleyServer, auth: AuthService, deps: HandlerDeps): void {
  io.use((socket, next) => {
    const parsed = handshakeAuth.safeParse(socket.handshake.auth);
    auth
      .authenticate(parsed.success ? parsed.data.token : undefined)
      .then((session) => {
        socket.data = {
          userId: session.user.id,
          username: session.user.username,
          tokenHash: session.tokenHash,
          expiresAt: session.expiresAt.getTime(),
        };
        next();
      })
      .catch((error: unknown) => {
        const appError = error instanceof AppError ? error : new AppError('service_unavailable', 'Could not check the session; try again.');
        if (!(error instanceof AppError)) deps.logger.error({ err: error }, 'socket authentication failed');
        next(Object.assign(new Error(appError.message), { data: appError.toJSON() }));
      });
  });

  io.on('connection', (socket) => {
    // The handshake checked the session before this socket was in its session's channel,
    // so a logout in between told a channel the socket had not joined yet. Join first,
    // then check again: a logout from now on reaches the socket through the channel, and
    // one that came earlier is seen by the second check. The user's channel is joined at
    // once too, so no push is missed between the client's "connected" and the check (a
    // client catching up right after connecting relies on that); a socket whose session
    // turns out dead is disconnected by the check a moment later, as by any logout.
    void socket.join([channels.session(socket.data.tokenHash), channels.user(socket.data.userId)]);
    const ready = auth.isSessionActive(socket.data.tokenHash).then(
      (active) => {
        if (!socket.connected) return false;
        if (!active) {
          socket.emit('session:ended', { reason: socket.data.expiresAt <= Date.now() ? 'expired' : 'logged_out' });
          socket.disconnect(true);
          return false;
        }
        endAtExpiry(socket);
        deps.presence.connectionOpened(socket);
        registerHandlers(socket, deps);
        return true;
      },
      (error: unknown) => {
        // Not knowing is not a logout: close the transport, and the client reconnects and retries.
        deps.logger.warn({ err: error }, 'could not check the session again after joining its channel');
        socket.conn.close();
        return false;
      },
    );
    // Events that arrive before the second check wait for it (in order), then run; on a
    // dead session they are dropped with the connection, never run unauthenticated.
    socket.use((_packet, next) => {
      void ready.then((accepted) => accepted && next());
    });
  });
}

function endAtExpiry(socket: ParleySocket): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = socket.data.expiresAt - Date.now();
    if (remaining <= 0) {
      socket.emit('session:ended', { reason: 'expired' });
      socket.disconnect(true);
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
  };
  arm();
  socket.on('disconnect', () => clearTimeout(timer));
}
