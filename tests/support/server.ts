// A real Parley backend for one test file: its own database on the shared test
// database server, listening on a free loopback port, with real HTTP and Socket.IO.
import { randomBytes } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { io as connect, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import type { AuthResponse, ClientToServerEvents, ServerToClientEvents } from '../../src/shared/contract.js';
import { createServer, type ParleyBackend } from '../../server/createServer.js';
import type { AuthRateLimits } from '../../server/http/middleware/rateLimit.js';
import type { LimitSettings } from '../../server/infra/limits.js';
import { connectRedis } from '../../server/infra/redis.js';
import { createLogger } from '../../server/logger.js';
import { connectDatabase, type Database } from '../../server/persistence/database.js';
import { createRepositories, type Repositories } from '../../server/persistence/repositories.js';
import type { RoomCleanerTiming } from '../../server/services/roomCleaner.js';
import { ParleyApi, type ApiResult, type RawOptions } from './apiClient.js';

export type { ApiResult };

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServerOptions {
  sessionTtlMs?: number;
  rateLimits?: AuthRateLimits;
  /** Share another server's database (two servers = two backend processes on one database). */
  dbName?: string;
  /** Fairness budgets; unset fields are generous (TEST_LIMITS) so tests are not throttled unless they ask. */
  limits?: Partial<LimitSettings>;
  /** The process's bound on database work in flight; generous unless a test asks. */
  maxDatabaseWork?: number;
  /** Run as one of several processes sharing this Redis (events, presence, limits). */
  redisUrl?: string;
  /** With redis: this process's name, and how long its leases last without renewal. */
  instanceId?: string;
  livenessTtlMs?: number;
  /** Sees every database command the server sends (tests count queries with it). */
  onCommand?: (event: CommandStartedEvent) => void;
  /** How often one read marker may be written (default: the server's). */
  readMarkerIntervalMs?: number;
  /** Browser origins allowed (default: the server's development list). */
  corsOrigins?: string[];
  /** Take the client IP from X-Forwarded-For, so a test can speak from several IPs. */
  trustProxy?: boolean;
  /** Replaces repositories (a test hands in one that fails or stalls on purpose); gets the real ones. */
  repositories?: (real: Repositories) => Repositories;
  /** When room cleanups are retried and run their second pass (default: the server's). */
  cleanupTiming?: RoomCleanerTiming;
}

export interface TestServer {
  url: string;
  app: ParleyBackend;
  database: Database;
  /** Fetch against /api with JSON in and out. */
  request(method: string, path: string, options?: RawOptions): Promise<ApiResult>;
  /** Registers a fresh user (unique name from the given prefix) and returns their session. */
  register(prefix?: string): Promise<AuthResponse & { password: string }>;
  /** Opens an authenticated socket and waits until it is connected. */
  socket(token: string): Promise<ClientSocket>;
  /** Creates a room owned by `owner` with `members` added over the API; returns its id. */
  createRoom(owner: TestUser, name: string, ...members: TestUser[]): Promise<string>;
  close(): Promise<void>;
}

export type TestUser = AuthResponse & { password: string };

/** Generous limits so tests that register many users are not throttled, unless a test asks. */
const TEST_RATE_LIMITS: AuthRateLimits = { perIpPerMinute: 100_000, perAccountPer15Minutes: 100_000 };
const GENEROUS = 1_000_000;
const TEST_LIMITS: LimitSettings = {
  sendsPerSecond: GENEROUS,
  sendBurst: GENEROUS,
  sendsInFlightPerUser: GENEROUS,
  roomsCreatedPerMinute: GENEROUS,
  roomChangesPerMinute: GENEROUS,
  roomViewsPer10Seconds: GENEROUS,
  readMarksPer10Seconds: GENEROUS,
  typingPer10Seconds: GENEROUS,
  eventsInFlightPerConnection: GENEROUS,
  socketsPerUser: GENEROUS,
  socketOpensPerMinute: GENEROUS,
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dbName = options.dbName ?? `test_${randomBytes(6).toString('hex')}`;
  const ownsDatabase = !options.dbName;
  const database = await connectDatabase(inject('mongodbUri'), dbName, options.onCommand ? { onCommand: options.onCommand } : {});
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const redis = options.redisUrl ? await connectRedis(options.redisUrl, logger) : undefined;
  const repositories = createRepositories(database.db, { severalProcesses: Boolean(redis), readMarkerIntervalMs: options.readMarkerIntervalMs });
  const app = createServer({
    db: database.db,
    repositories: options.repositories ? options.repositories(repositories) : repositories,
    logger,
    sessionTtlMs: options.sessionTtlMs ?? 24 * 60 * 60 * 1000,
    rateLimits: options.rateLimits ?? TEST_RATE_LIMITS,
    limits: { ...TEST_LIMITS, ...options.limits },
    maxDatabaseWork: options.maxDatabaseWork ?? GENEROUS,
    ...(options.cleanupTiming ? { cleanupTiming: options.cleanupTiming } : {}),
    corsOrigins: options.corsOrigins,
    trustProxy: options.trustProxy ?? false,
    // The health check pings over its own client, as in production.
    databaseRevival: database,
    ...(redis ? { redis, instanceId: options.instanceId ?? `test-${randomBytes(3).toString('hex')}`, livenessTtlMs: options.livenessTtlMs ?? 15_000 } : {}),
  });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  const sockets: ClientSocket[] = [];

  const api = new ParleyApi(url);
  return {
    url,
    app,
    database,
    request: (method, path, opts) => api.raw(method, path, opts),
    async register(prefix = 'user') {
      const user = await api.register(prefix);
      return { ...user.auth, password: user.password };
    },
    async createRoom(owner, name, ...members) {
      return (
        await api.createRoom(
          owner,
          name,
          members.map((m) => m.user),
        )
      ).id;
    },
    async socket(token) {
      const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
      return socket;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await app.close();
      await redis?.close();
      if (ownsDatabase) await database.db.dropDatabase().catch(() => {});
      await database.close();
    },
  };
}
