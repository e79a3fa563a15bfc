// Wires the backend together: repositories on one database handle, services on the
// repositories, HTTP and Socket.IO on the services. With Redis, Socket.IO carries
// events between processes and the viewer registry and rate limits are shared.
// Tests build it on port 0 against a database of their own; main.ts builds it from
// the environment.
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Db } from 'mongodb';
import { AppError } from './domain/errors.js';
import { createHttpApp } from './http/app.js';
import { addNoSniff, answerClientErrors } from './http/nodeErrors.js';
import { defaultAllowedOrigins } from './http/origins.js';
import { createAuthLimiters, type AuthRateLimits } from './http/middleware/rateLimit.js';
import { DependencyHealth, type ClientRevival } from './infra/dependencyHealth.js';
import { InFlight } from './infra/inFlight.js';
import { DEFAULT_LIMITS, UsageLimits, type LimitSettings } from './infra/limits.js';
import { DEFAULT_MAX_DATABASE_WORK, WorkBound } from './infra/workBound.js';
import type { RedisClients } from './infra/redis.js';
import type { Logger } from './logger.js';
import { RedisRoomTail } from './cache/redisRoomTail.js';
import { RoomCache } from './cache/roomCache.js';
import { MemoryRoomTail, type RoomTail } from './cache/roomTail.js';
import { MessageRepository } from './persistence/messages.js';
import { ReadMarkerRepository } from './persistence/readMarkers.js';
import { RoomHeadRepository } from './persistence/roomHeads.js';
import { RoomRepository } from './persistence/rooms.js';
import { SeqAllocator } from './persistence/seqAllocator.js';
import { SessionRepository } from './persistence/sessions.js';
import { UserRepository } from './persistence/users.js';
import { PEER_TIMEOUT_MS, SocketRoomChanges } from './realtime/roomChanges.js';
import { RedisViewerRegistry } from './realtime/redisViewers.js';
import { SocketRoomEvents } from './realtime/roomEvents.js';
import { admitBeforeAuthentication, capSocketsPerUser, shedFloods } from './realtime/admission.js';
import { attachRealtime, createSocketServer } from './realtime/server.js';
import { channels, type ParleyServer } from './realtime/types.js';
import { InMemoryViewerRegistry, type ViewerRegistry } from './realtime/viewers.js';
import { AuthService } from './services/auth.js';
import { MessageService } from './services/messages.js';
import { RoomService } from './services/rooms.js';

export interface AppOptions {
  db: Db;
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
  /** How often one read marker may be written (tests shorten it). */
  readMarkerIntervalMs?: number;
}

export interface ParleyApp {
  httpServer: HttpServer;
  io: ParleyServer;
  auth: AuthService;
  health: DependencyHealth;
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Graceful stop: refuse new connections, let in-flight writes finish (up to
   * `graceMs`), tell clients to reconnect elsewhere, then close the sockets.
   */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_RATE_LIMITS: AuthRateLimits = { perIpPerMinute: 30, perAccountPer15Minutes: 10 };
const SESSION_SWEEP_MS = 60 * 60 * 1000;

export function createApp(options: AppOptions): ParleyApp {
  const { db, logger, redis } = options;
  const users = new UserRepository(db);
  const sessions = new SessionRepository(db);
  const rooms = new RoomRepository(db);
  const messages = new MessageRepository(db);
  const readMarkers = new ReadMarkerRepository(db, options.readMarkerIntervalMs);
  const heads = new RoomHeadRepository(db, Boolean(redis));
  const roomCache = new RoomCache(rooms);
  const tail: RoomTail = redis ? new RedisRoomTail(redis.commands) : new MemoryRoomTail();

  // Socket.IO must see the server's request listener when it attaches, so it can keep
  // /socket.io/ requests away from Koa; the listener delegates to Koa once it exists.
  let handleHttp: RequestListener = (_req, res) => res.writeHead(503).end();
  const httpServer = createServer((req, res) => handleHttp(req, res));
  const corsOrigins = options.corsOrigins ?? defaultAllowedOrigins(false);
  const io = createSocketServer(httpServer, { corsOrigins });
  // After Socket.IO has attached, so these cover its answers too.
  addNoSniff(httpServer);
  answerClientErrors(httpServer);
  if (redis) io.adapter(createAdapter(redis.pub, redis.sub, { key: 'parley', requestsTimeout: PEER_TIMEOUT_MS }));

  const viewers: ViewerRegistry & { start?(): void; stop?(): Promise<void> } = redis
    ? new RedisViewerRegistry({
        redis: redis.commands,
        instanceId: options.instanceId ?? `${process.pid}`,
        logger,
        livenessTtlMs: options.livenessTtlMs ?? 15_000,
        onDeparted: (roomId, viewer) => io.to(channels.view(roomId)).emit('room:presence', { roomId, user: viewer, action: 'left' }),
      })
    : new InMemoryViewerRegistry();
  viewers.start?.();
  const events = new SocketRoomEvents(io, viewers);

  const health = new DependencyHealth(db, redis, logger, options.databaseRevival);
  health.start();
  if (redis) {
    // While Redis was away, pushes between processes were lost, and a restarted Redis holds
    // no presence: register this process's viewers again, then have its clients catch up.
    // Room changes announced meanwhile never reached this process, and tails may have
    // missed sends: forget both.
    health.onRecovered((dependency) => {
      if (dependency !== 'redis') return;
      roomCache.clear();
      void tail.clear().catch((error: unknown) => logger.warn({ err: error }, 'clearing room tails after the redis outage failed'));
      void resynchronise(io, viewers).catch((error: unknown) => logger.warn({ err: error }, 'resynchronising after the redis outage failed'));
    });
  }
  const inFlight = new InFlight();
  const limits = new UsageLimits(
    { ...DEFAULT_LIMITS, ...options.limits },
    { redis: redis?.commands, instanceId: options.instanceId ?? `${process.pid}`, connectionLeaseMs: options.livenessTtlMs ?? 15_000, logger },
  );
  const workBound = new WorkBound(options.maxDatabaseWork ?? DEFAULT_MAX_DATABASE_WORK);
  let closing = false;
  const requireWritable = () => {
    if (closing) throw new AppError('service_unavailable', 'This server is restarting; your app reconnects and retries by itself.');
    if (health.writable()) return;
    const { database } = health.snapshot();
    throw new AppError(
      'service_unavailable',
      database === 'down' ? 'Parley cannot save changes right now: the database is unreachable. Try again shortly.' : 'Parley cannot deliver changes right now: Redis is unreachable. Try again shortly.',
    );
  };

  const auth = new AuthService(users, sessions, events, options.sessionTtlMs);
  const messageService = new MessageService({ rooms: roomCache, messages, seqs: new SeqAllocator(heads, (roomId) => messages.highestSeq(roomId)), heads, readMarkers, tail, events, logger });
  const changes = new SocketRoomChanges(
    io,
    async (roomId) => {
      roomCache.invalidate(roomId);
      await messageService.settleRoom(roomId);
    },
    Boolean(redis),
    logger,
  );
  const roomService = new RoomService({ rooms, cache: roomCache, users, messages, heads, readMarkers, messageService, events, changes, logger });

  const http = createHttpApp({
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
  attachRealtime(io, auth, { rooms: roomService, messages: messageService, viewers, logger, requireWritable, inFlight, limits, workBound });
  capSocketsPerUser(io, limits);
  shedFloods(io, limits);

  const sweep = () => auth.sweepExpiredSessions().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
  void sweep();
  const sweepTimer = setInterval(sweep, SESSION_SWEEP_MS).unref();

  return {
    httpServer,
    io,
    auth,
    health,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      });
    },
    async close(graceMs = 10_000) {
      // New writes are refused from here on, so the drain below ends instead of waiting
      // out the grace period under steady traffic.
      closing = true;
      clearInterval(sweepTimer);
      health.stop();
      // Stop accepting: no new HTTP connections or sockets from here on.
      httpServer.close();
      const drained = await inFlight.drain(graceMs);
      if (!drained) logger.warn({ pending: inFlight.size }, 'shutdown grace period ended with writes still in flight');
      // Only this process's sockets: with the Redis adapter, io.emit would reach every process.
      io.local.emit('server:shutdown', { reconnect: true });
      // Closing the transports (not socket.disconnect()) lets clients reconnect on their own.
      for (const socket of io.sockets.sockets.values()) socket.conn.close();
      await Promise.all([readMarkers.flush(), heads.flush()]).catch((error: unknown) => logger.warn({ err: error }, 'could not store read markers and room heads at shutdown'));
      await viewers.stop?.();
      await limits.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}

/** After a Redis outage: this process's connections and chat views registered again, and every client told to catch up. */
async function resynchronise(io: ParleyServer, viewers: ViewerRegistry): Promise<void> {
  for (const socket of io.sockets.sockets.values()) {
    const viewer = { userId: socket.data.userId, username: socket.data.username };
    await viewers.connectionOpened(socket.id, viewer);
    for (const channel of socket.rooms) {
      if (channel.startsWith('view:')) await viewers.enter(channel.slice('view:'.length), viewer, socket.id);
    }
  }
  io.local.emit('sync:required', { reason: 'redis_recovered' });
}
