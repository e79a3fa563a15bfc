// Reads and validates the backend's environment once, at start-up; a bad value stops
// the process with a message naming the variable rather than failing later.
import { hostname } from 'node:os';
import { z } from 'zod';
import { defaultAllowedOrigins } from './http/origins.js';
import { DEFAULT_LIMITS, type LimitSettings } from './infra/limits.js';
import { DEFAULT_MAX_DATABASE_WORK } from './infra/workBound.js';

/** A budget: a positive whole number, at most a billion (high enough to switch a limit off for a benchmark). */
const limit = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI')
      .optional(),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,60}$/)
      .default('parley'),
    /** `production` closes the origin list to the desktop app and never starts the local database. */
    NODE_ENV: z.string().optional(),
    /** Start the local development database (FerretDB) when MONGODB_URI is unset; `npm start`, `npm run server` and the tests set it. */
    LOCAL_DB: z.stringbool().default(false),
    SESSION_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Comma-separated browser origins allowed to call the API and open sockets; unset = the defaults in http/origins.ts. */
    CORS_ORIGINS: z
      .string()
      .regex(
        /^\s*[a-z][a-z0-9+.-]*:\/\/[^/\s,]+\s*(,\s*[a-z][a-z0-9+.-]*:\/\/[^/\s,]+\s*)*$/i,
        'must be comma-separated origins such as https://chat.example.com,app://parley (no paths or trailing slashes)',
      )
      .optional(),
    /** Where the local FerretDB keeps its files (LOCAL_DB=1). */
    DATA_DIR: z.string().default('.data'),
    /** Behind a reverse proxy, trust X-Forwarded-For for the client IP used by rate limits. */
    TRUST_PROXY: z.stringbool().default(false),
    /** Login limits (docs/running.md): registrations and failed logins per client IP per minute; failed logins per account and IP per 15 minutes. */
    AUTH_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
    AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    /** Failed logins on one account from all IPs (per 15 minutes) before every attempt on it is slowed down, up to AUTH_SLOWDOWN_MAX_MS. */
    AUTH_SLOWDOWN_AFTER_FAILURES: z.coerce.number().int().min(1).default(30),
    AUTH_SLOWDOWN_MAX_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    /** Redis for running several processes (events, presence, rate limits); unset = one process. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** This process's unique name among several; default host-pid. */
    INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
      .optional(),
    /** After this long without a heartbeat a process counts as dead and its viewers are cleared. */
    PRESENCE_LIVENESS_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
    /** How long a graceful shutdown waits for in-flight writes. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    /** Fairness (docs/running.md): per-user and per-connection budgets; load tests and benchmarks raise them. */
    LIMIT_SENDS_PER_SECOND: limit(DEFAULT_LIMITS.sendsPerSecond),
    LIMIT_SEND_BURST: limit(DEFAULT_LIMITS.sendBurst),
    LIMIT_SENDS_IN_FLIGHT_PER_USER: limit(DEFAULT_LIMITS.sendsInFlightPerUser),
    LIMIT_ROOMS_CREATED_PER_MINUTE: limit(DEFAULT_LIMITS.roomsCreatedPerMinute),
    LIMIT_ROOM_CHANGES_PER_MINUTE: limit(DEFAULT_LIMITS.roomChangesPerMinute),
    LIMIT_ROOM_VIEWS_PER_10S: limit(DEFAULT_LIMITS.roomViewsPer10Seconds),
    LIMIT_READ_MARKS_PER_10S: limit(DEFAULT_LIMITS.readMarksPer10Seconds),
    LIMIT_TYPING_PER_10S: limit(DEFAULT_LIMITS.typingPer10Seconds),
    LIMIT_EVENTS_IN_FLIGHT_PER_CONNECTION: limit(DEFAULT_LIMITS.eventsInFlightPerConnection),
    LIMIT_SOCKETS_PER_USER: limit(DEFAULT_LIMITS.socketsPerUser),
    LIMIT_SOCKET_OPENS_PER_MINUTE: limit(DEFAULT_LIMITS.socketOpensPerMinute),
    /** Backpressure: database work (requests, socket events) one process runs at once; beyond it, 503 overloaded. */
    MAX_DATABASE_WORK: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_MAX_DATABASE_WORK),
  })
  .superRefine((e, ctx) => {
    // A production server must never quietly serve from a development database in .data/.
    if (e.MONGODB_URI || (e.LOCAL_DB && e.NODE_ENV !== 'production')) return;
    const message =
      e.NODE_ENV === 'production'
        ? 'is required with NODE_ENV=production: set it to your MongoDB (the local development database never runs in production)'
        : 'is unset: set it to your MongoDB, or set LOCAL_DB=1 to start the local development database (npm start and npm run server do)';
    ctx.addIssue({ code: 'custom', path: ['MONGODB_URI'], message });
  });

export interface Config {
  port: number;
  host: string;
  mongodbUri: string | undefined;
  mongodbDb: string;
  sessionTtlMs: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** NODE_ENV=production. */
  production: boolean;
  corsOrigins: string[];
  dataDir: string;
  trustProxy: boolean;
  authRateLimits: { perIpPerMinute: number; perAccountPer15Minutes: number; slowDownAfterFailures: number; slowDownMaxMs: number };
  redisUrl: string | undefined;
  instanceId: string;
  livenessTtlMs: number;
  shutdownGraceMs: number;
  limits: LimitSettings;
  maxDatabaseWork: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    sessionTtlMs: e.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    corsOrigins: e.CORS_ORIGINS?.split(',').map((o) => o.trim()) ?? defaultAllowedOrigins(e.NODE_ENV === 'production'),
    dataDir: e.DATA_DIR,
    trustProxy: e.TRUST_PROXY,
    authRateLimits: {
      perIpPerMinute: e.AUTH_RATE_LIMIT_PER_IP,
      perAccountPer15Minutes: e.AUTH_RATE_LIMIT_PER_ACCOUNT,
      slowDownAfterFailures: e.AUTH_SLOWDOWN_AFTER_FAILURES,
      slowDownMaxMs: e.AUTH_SLOWDOWN_MAX_MS,
    },
    redisUrl: e.REDIS_URL,
    instanceId: e.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    livenessTtlMs: e.PRESENCE_LIVENESS_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    limits: {
      sendsPerSecond: e.LIMIT_SENDS_PER_SECOND,
      sendBurst: e.LIMIT_SEND_BURST,
      sendsInFlightPerUser: e.LIMIT_SENDS_IN_FLIGHT_PER_USER,
      roomsCreatedPerMinute: e.LIMIT_ROOMS_CREATED_PER_MINUTE,
      roomChangesPerMinute: e.LIMIT_ROOM_CHANGES_PER_MINUTE,
      roomViewsPer10Seconds: e.LIMIT_ROOM_VIEWS_PER_10S,
      readMarksPer10Seconds: e.LIMIT_READ_MARKS_PER_10S,
      typingPer10Seconds: e.LIMIT_TYPING_PER_10S,
      eventsInFlightPerConnection: e.LIMIT_EVENTS_IN_FLIGHT_PER_CONNECTION,
      socketsPerUser: e.LIMIT_SOCKETS_PER_USER,
      socketOpensPerMinute: e.LIMIT_SOCKET_OPENS_PER_MINUTE,
    },
    maxDatabaseWork: e.MAX_DATABASE_WORK,
  };
}
