// Wires the backend together, and holds no policy of its own: services on the
// repositories it is given, HTTP and Socket.IO on the services. With Redis, Socket.IO carries
// events between processes and the viewer registry and rate limits are shared.
// Tests build it on port 0 against a database of their own; main.ts builds it from
// the environment.
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Db } from 'mongodb';
import { createKoaApp } from './http/koaApp.js';
import { addNoSniff, answerClientErrors } from './http/nodeErrors.js';
import { defaultAllowedOrigins } from './http/origins.js';
import { createAuthLimiters, type AuthRateLimits } from './http/middleware/rateLimit.js';
import { DependencyHealth, type ClientRevival } from './infra/dependencyHealth.js';
import { InFlight } from './infra/inFlight.js';
import { DEFAULT_LIMITS, UsageLimits, type LimitSettings } from './infra/limits.js';
import { DEFAULT_MAX_DATABASE_WORK, WorkBound } from './infra/workBound.js';
import { WriteGate } from './infra/writeGate.js';
import type { RedisClients } from './infra/redis.js';
import type { Logger } from './logger.js';
import { RedisRoomTail } from './cache/redisRoomTail.js';
import { RoomCache } from './cache/roomCache.js';
import { MemoryRoomTail, type RoomTail } from './cache/roomTail.js';
import type { Repositories } from './persistence/repositories.js';
import { SeqAllocator } from './persistence/seqAllocator.js';
import { admitBeforeAuthentication, capSocketsPerUser, shedFloods } from './realtime/admission.js';
import { Presence } from './realtime/presence.js';
import { RedisViewerRegistry } from './realtime/redisViewers.js';
import { PEER_TIMEOUT_MS, SocketRoomChanges } from './realtime/roomChanges.js';
import { SocketRoomEvents } from './realtime/roomEvents.js';
import { attachRealtime, createSocketServer } from './realtime/server.js';
import { SocketSessionEvents } from './realtime/sessionEvents.js';
import { attachTyping, TypingIndicators } from './realtime/typing.js';
import type { ParleyServer } from './realtime/types.js';
import { InMemoryViewerRegistry, type ViewerRegistry } from './realtime/viewers.js';
import { AuthService } from './services/auth.js';
import { MessageService } from './services/messages.js';
import { RoomCleaner, type RoomCleanerTiming } from './services/roomCleaner.js';
import { RoomService } from './services/rooms.js';

export interface ServerOptions {
  /** The database the health check pings. */
  db: Db;
  /** Every repository the services use, on that database (persistence/repositories.ts). */
  repositories: Repositories;
  logger: Logger;
  sessionTtlMs: number;
  rateLimits?: AuthRateLimits;
  /** Browser origins allowed to call the API and open sockets; default: the development list (http/origins.ts). */
  corsOrigins?: readonly string[] | undefined;
  trustProxy?: boolean;
  /** Several processes: share events, presence and rate limits through Redis. */
  redis?: RedisClients | undefined;
  /** This process's name among several (presence cleanup after a crash uses it). */
  instanceId?: string;
  /** How long a silent process counts as alive before its viewers are cleared. */
  livenessTtlMs?: number;
  /** Lets the health check replace a database client that stays wedged after an outage. */
  databaseRevival?: ClientRevival;
  /** Per-user and per-connection budgets (fairness); unset fields keep DEFAULT_LIMITS. */
  limits?: Partial<LimitSettings>;
  /** Database work this process runs at once before answering 503 overloaded. */
  maxDatabaseWork?: number;
  /** When room cleanups are retried and run their second pass (services/roomCleaner.ts; tests shorten them). */
  cleanupTiming?: RoomCleanerTiming;
}

export interface ParleyBackend {
  httpServer: HttpServer;
  io: ParleyServer;
  auth: AuthService;
  health: DependencyHealth;
  /** Settles once the start-up sweep (expired sessions, cleanups left by earlier processes) has run. */
  swept: Promise<void>;
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Graceful stop: refuse new connections, let in-flight writes finish (up to
   * `graceMs`), tell clients to reconnect elsewhere, then close the sockets.
   */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_RATE_LIMITS: AuthRateLimits = { perIpPerMinute: 30, perAccountPer15Minutes: 10 };
const SWEEP_MS = 60 * 60 * 1000;

export function createServer(options: ServerOptions): ParleyBackend {
  const { db, logger, redis } = options;
  const { users, sessions, rooms, messages, readMarkers, mentions, heads, cleanups } = options.repositories;
  const instanceId = options.instanceId ?? `${process.pid}`;
  const livenessTtlMs = options.livenessTtlMs ?? 15_000;
  const roomCache = new RoomCache(rooms);
  const tail: RoomTail = redis ? new RedisRoomTail(redis.commands) : new MemoryRoomTail();

  // Socket.IO must see the server's request listener when it attaches, so it can keep
  // /socket.io/ requests away from Koa; the listener delegates to Koa once it exists.
  let handleHttp: RequestListener = (_req, res) => res.writeHead(503).end();
  const httpServer = createHttpServer((req, res) => handleHttp(req, res));
  const corsOrigins = options.corsOrigins ?? defaultAllowedOrigins(false);
  const io = createSocketServer(httpServer, { corsOrigins });
  // After Socket.IO has attached, so these cover its answers too.
  addNoSniff(httpServer);
  answerClientErrors(httpServer);
  if (redis) io.adapter(createAdapter(redis.pub, redis.sub, { key: 'parley', requestsTimeout: PEER_TIMEOUT_MS }));

  // A dead process's viewers are announced by a survivor's registry, through presence.
  const viewers: ViewerRegistry = redis
    ? new RedisViewerRegistry({
        redis: redis.commands,
        instanceId,
        logger,
        livenessTtlMs,
        onDeparted: (roomId, viewer) => presence.announceLeft(roomId, viewer),
      })
    : new InMemoryViewerRegistry();
  const presence = new Presence(io, viewers, logger);
  presence.start();
  const events = new SocketRoomEvents(io, presence);

  const health = new DependencyHealth(db, redis, logger, options.databaseRevival);
  health.start();
  const writes = new WriteGate(health);
  const inFlight = new InFlight();
  const limits = new UsageLimits({ ...DEFAULT_LIMITS, ...options.limits }, { redis: redis?.commands, instanceId, connectionLeaseMs: livenessTtlMs, logger });
  const workBound = new WorkBound(options.maxDatabaseWork ?? DEFAULT_MAX_DATABASE_WORK);
  const requireWritable = () => writes.require();

  const auth = new AuthService(users, sessions, new SocketSessionEvents(io), options.sessionTtlMs);
  const messageService = new MessageService({
    rooms: roomCache,
    messages,
    seqs: new SeqAllocator({ heads, newestInTail: (roomId) => tail.newestSeq(roomId), highestStored: (roomId) => messages.highestSeq(roomId) }),
    heads,
    readMarkers,
    mentions,
    tail,
    events,
    logger,
  });
  const changes = new SocketRoomChanges(
    io,
    { holdRoom: (roomId) => messageService.holdRoom(roomId), forget: (roomId) => roomCache.invalidate(roomId) },
    Boolean(redis),
    logger,
  );
  const cleaner = new RoomCleaner(
    { cleanups, rooms, messages, readMarkers, heads, forgetRoom: (roomId) => messageService.forgetRoom(roomId), logger },
    options.cleanupTiming,
  );
  const roomService = new RoomService({ rooms, cache: roomCache, users, heads, readMarkers, mentions, cleaner, events, changes, logger });

  if (redis) {
    // While Redis was away, pushes between processes were lost, and room changes announced
    // meanwhile never reached this process, and tails may have missed sends: forget both,
    // and put presence right again.
    health.onRecovered((dependency) => {
      if (dependency !== 'redis') return;
      roomCache.clear();
      void tail.clear().catch((error: unknown) => logger.warn({ err: error }, 'clearing room tails after the redis outage failed'));
      void presence.resynchronise().catch((error: unknown) => logger.warn({ err: error }, 'resynchronising after the redis outage failed'));
    });
  }

  const http = createKoaApp({
    health,
    inFlight,
    requireWritable,
    logger,
    auth,
    rooms: roomService,
    messages: messageService,
    limiters: createAuthLimiters(options.rateLimits ?? DEFAULT_RATE_LIMITS, redis?.commands),
    limits,
    workBound,
    corsOrigins,
    trustProxy: options.trustProxy ?? false,
  });
  handleHttp = http.callback();
  admitBeforeAuthentication(io, workBound, limits);
  attachRealtime(io, auth, { rooms: roomService, messages: messageService, presence, logger, requireWritable, inFlight, limits, workBound });
  capSocketsPerUser(io, limits);
  shedFloods(io, limits);
  const typing = new TypingIndicators(io);
  attachTyping(io, typing, limits, logger);

  // Expired sessions (FerretDB has no TTL indexes) and cleanups that ran out of retries
  // or were left by a process that died: at start-up, then hourly.
  const sweep = () =>
    Promise.all([
      auth.sweepExpiredSessions().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed')),
      cleaner.sweep().catch((error: unknown) => logger.warn({ err: error }, 'room cleanup sweep failed')),
    ]).then(() => undefined);
  const swept = sweep();
  const sweepTimer = setInterval(() => void sweep(), SWEEP_MS).unref();

  return {
    httpServer,
    io,
    auth,
    health,
    swept,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      });
    },
    async close(graceMs = 10_000) {
      // New writes are refused from here on, so the drain below ends instead of waiting
      // out the grace period under steady traffic.
      writes.close();
      clearInterval(sweepTimer);
      cleaner.stop();
      health.stop();
      // Stop accepting: no new HTTP connections or sockets from here on.
      httpServer.close();
      const drained = await inFlight.drain(graceMs);
      if (!drained) logger.warn({ pending: inFlight.size }, 'shutdown grace period ended with writes still in flight');
      // Only this process's sockets: with the Redis adapter, io.emit would reach every process.
      io.local.emit('server:shutdown', { reconnect: true });
      // Closing the transports (not socket.disconnect()) lets clients reconnect on their own.
      for (const socket of io.sockets.sockets.values()) socket.conn.close();
      await Promise.all([readMarkers.flush(), heads.flush()]).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not store read markers and room heads at shutdown'),
      );
      typing.clear();
      await presence.stop();
      await limits.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}
