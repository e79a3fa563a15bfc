// Wires the backend together: repositories on one database handle, services on the
// repositories, HTTP and Socket.IO on the services. Tests build it on port 0 against
// a database of their own; main.ts builds it from the environment.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from 'mongodb';
import { createHttpApp } from './http/app.js';
import type { AuthRateLimits } from './http/middleware/rateLimit.js';
import type { Logger } from './logger.js';
import { MessageRepository } from './persistence/messages.js';
import { ReadMarkerRepository } from './persistence/readMarkers.js';
import { RoomRepository } from './persistence/rooms.js';
import { SessionRepository } from './persistence/sessions.js';
import { UserRepository } from './persistence/users.js';
import { SocketRoomEvents } from './realtime/roomEvents.js';
import { attachRealtime, createSocketServer } from './realtime/server.js';
import type { ParleyServer } from './realtime/types.js';
import { InMemoryViewerRegistry } from './realtime/viewers.js';
import { AuthService } from './services/auth.js';
import { MessageService } from './services/messages.js';
import { RoomService } from './services/rooms.js';

export interface AppOptions {
  db: Db;
  logger: Logger;
  sessionTtlMs: number;
  rateLimits?: AuthRateLimits;
  corsOrigins?: string[] | undefined;
  trustProxy?: boolean;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: ParleyServer;
  auth: AuthService;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMITS: AuthRateLimits = { perIpPerMinute: 30, perAccountPer15Minutes: 10 };
const SESSION_SWEEP_MS = 60 * 60 * 1000;

export function createApp(options: AppOptions): ParleyApp {
  const { db, logger } = options;
  const users = new UserRepository(db);
  const sessions = new SessionRepository(db);
  const rooms = new RoomRepository(db);
  const messages = new MessageRepository(db);
  const readMarkers = new ReadMarkerRepository(db);

  const httpServer = createServer();
  const io = createSocketServer(httpServer, { corsOrigins: options.corsOrigins });
  const viewers = new InMemoryViewerRegistry();
  const events = new SocketRoomEvents(io, viewers);

  const auth = new AuthService(users, sessions, events, options.sessionTtlMs);
  const roomService = new RoomService(rooms, users, messages, readMarkers, events);
  const messageService = new MessageService(rooms, messages, events);

  const http = createHttpApp({
    db,
    logger,
    auth,
    rooms: roomService,
    messages: messageService,
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
    corsOrigins: options.corsOrigins,
    trustProxy: options.trustProxy ?? false,
  });
  httpServer.on('request', http.callback());
  attachRealtime(io, auth, { rooms: roomService, messages: messageService, viewers, logger });

  const sweep = () => auth.sweepExpiredSessions().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
  void sweep();
  const sweepTimer = setInterval(sweep, SESSION_SWEEP_MS).unref();

  return {
    httpServer,
    io,
    auth,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      });
    },
    async close() {
      clearInterval(sweepTimer);
      // io.close() disconnects every socket and closes the HTTP server with it.
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
