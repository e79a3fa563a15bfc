// Fairness: budgets per user and per connection, so no user can take more than a fair
// share of a process or the database. Every check answers from a counter (memory, or
// Redis shared by every process) and never touches the database, so refusing a flood
// costs little; a refusal is `rate_limited` with `retryAfterMs` and is not logged.
// Built once in app.ts and handed to the HTTP routes and socket handlers.
import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ApiError } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { InMemoryConnectionCounter, RedisConnectionCounter, type ConnectionCounter } from './connectionCounter.js';

export interface LimitSettings {
  /** Message sends per user per second, sustained; socket `message:send` and HTTP POST share it. */
  sendsPerSecond: number;
  /** Sends a user may make at once beyond that rate (a paste, a queue flushed after a reconnect); refilled every 10 s. */
  sendBurst: number;
  /** Sends of one user stored at the same time, per process; the user's next ones wait their turn (not refused). */
  sendsInFlightPerUser: number;
  /** New rooms per user per minute. */
  roomsCreatedPerMinute: number;
  /** Renames, deletions, member additions, removals and role changes per user per minute. */
  roomChangesPerMinute: number;
  /** `room:enter` + `room:leave` per connection per 10 seconds. */
  roomViewsPer10Seconds: number;
  /** `room:read` per connection per 10 seconds. */
  readMarksPer10Seconds: number;
  /** `typing:start` + `typing:stop` per connection per 10 seconds (clients send one every 3 s while typing). */
  typingPer10Seconds: number;
  /** Socket events one connection may have awaiting their answer; the next ones are refused at once. */
  eventsInFlightPerConnection: number;
  /** Open sockets per user, across every process when Redis is used. */
  socketsPerUser: number;
  /** Socket handshakes per token per minute, per process (reconnect loops); counted before the session lookup. */
  socketOpensPerMinute: number;
}

/**
 * Generous for people: nobody types 5 messages a second for long, 30 more at once covers
 * a paste or an outbox flushed after a reconnect, 20 sockets cover several windows on
 * several devices. A script hits them within a second. One send of a user stored at a
 * time keeps a burst from one user (which the database writes one after another) from
 * queueing ahead of everyone else's sends, and stores a user's messages in the order
 * sent; a person never notices the few milliseconds a second window's send waits.
 */
export const DEFAULT_LIMITS: LimitSettings = {
  sendsPerSecond: 5,
  sendBurst: 30,
  sendsInFlightPerUser: 1,
  roomsCreatedPerMinute: 10,
  roomChangesPerMinute: 60,
  roomViewsPer10Seconds: 100,
  readMarksPer10Seconds: 60,
  typingPer10Seconds: 20,
  eventsInFlightPerConnection: 50,
  socketsPerUser: 20,
  socketOpensPerMinute: 60,
};

const SEND_BURST_WINDOW_SECONDS = 10;
/** A refused socket has no natural wait (a slot frees when another socket closes): a pause that stops reconnect loops. */
const SOCKET_RETRY_AFTER_MS = 10_000;

interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/** Gives back what was taken (a send's turn); calling it again does nothing. */
export type Release = () => void;

export interface UsageLimitsOptions {
  /** Shares the per-user budgets and socket counts between processes. */
  redis?: Redis | undefined;
  instanceId: string;
  /** How long a socket of a process that stopped renewing keeps counting (with Redis). */
  connectionLeaseMs: number;
  logger: Logger;
}

/** The budgets a socket event may be refused by before its handler runs (see standingRefusal). */
export type SocketBudget = 'send' | 'roomView' | 'readMark' | 'typing';

export class UsageLimits {
  private readonly sends: Budget;
  private readonly sendTurns: TurnsPerKey;
  private readonly roomsCreated: Budget;
  private readonly roomChanges: Budget;
  private readonly roomViews: Budget;
  private readonly readMarks: Budget;
  private readonly typingEvents: Budget;
  private readonly socketOpens: Budget;
  private readonly connections: ConnectionCounter;

  constructor(
    readonly settings: LimitSettings,
    options: UsageLimitsOptions,
  ) {
    const { redis, logger } = options;
    // With Redis the budget is shared; while Redis is away each process falls back to
    // its own memory budget. Once a key is spent, the rest of its window is refused from
    // memory without asking Redis again (inMemoryBlockOnConsumed, and Budget below).
    const perUser = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `parley:rl:${keyPrefix}`,
        points,
        duration,
        insuranceLimiter: memory,
        rejectIfRedisNotReady: true,
        inMemoryBlockOnConsumed: points,
      });
    };
    // Sends: a token bucket in effect. `sendsPerSecond` each second, and when that is spent,
    // up to `sendBurst` more from a pool refilled every 10 s (rate-limiter-flexible's
    // documented way, BurstyRateLimiter, to allow bursts on top of a fixed-window rate).
    this.sends = new Budget(
      new BurstyRateLimiter(perUser('send', settings.sendsPerSecond, 1), perUser('send_burst', Math.max(1, settings.sendBurst), SEND_BURST_WINDOW_SECONDS)),
      (s) => `Too many messages at once; try again in ${s} s.`,
      logger,
    );
    this.sendTurns = new TurnsPerKey(settings.sendsInFlightPerUser);
    this.roomsCreated = new Budget(perUser('room_create', settings.roomsCreatedPerMinute, 60), (s) => `Too many new rooms; try again in ${s} s.`, logger);
    this.roomChanges = new Budget(perUser('room_change', settings.roomChangesPerMinute, 60), (s) => `Too many room changes; try again in ${s} s.`, logger);
    // A connection lives in one process: its budgets stay in memory.
    this.roomViews = new Budget(
      new RateLimiterMemory({ keyPrefix: 'room_view', points: settings.roomViewsPer10Seconds, duration: 10 }),
      (s) => `Switching rooms too fast; try again in ${s} s.`,
      logger,
    );
    this.readMarks = new Budget(
      new RateLimiterMemory({ keyPrefix: 'read_mark', points: settings.readMarksPer10Seconds, duration: 10 }),
      (s) => `Too many read updates; try again in ${s} s.`,
      logger,
    );
    this.typingEvents = new Budget(
      new RateLimiterMemory({ keyPrefix: 'typing', points: settings.typingPer10Seconds, duration: 10 }),
      (s) => `Too many typing updates; try again in ${s} s.`,
      logger,
    );
    this.socketOpens = new Budget(
      new RateLimiterMemory({ keyPrefix: 'socket_open', points: settings.socketOpensPerMinute, duration: 60 }),
      (s) => `Too many new connections for this session; try again in ${s} s.`,
      logger,
    );
    this.connections = redis
      ? new RedisConnectionCounter({ redis, instanceId: options.instanceId, leaseMs: options.connectionLeaseMs, logger })
      : new InMemoryConnectionCounter();
  }

  /**
   * One message send (socket or HTTP) by this user: spends the budget (or throws
   * rate_limited), then waits for one of the user's turns. Call the release when the
   * send is done.
   */
  async send(userId: string): Promise<Release> {
    await this.sends.take(userId);
    return this.sendTurns.take(userId);
  }

  createRoom(userId: string): Promise<void> {
    return this.roomsCreated.take(userId);
  }

  /** A rename, deletion or member change by this user. */
  changeRoom(userId: string): Promise<void> {
    return this.roomChanges.take(userId);
  }

  /** A room:enter or room:leave on this connection. */
  viewRoom(connectionId: string): Promise<void> {
    return this.roomViews.take(connectionId);
  }

  /** A room:read on this connection. */
  markRead(connectionId: string): Promise<void> {
    return this.readMarks.take(connectionId);
  }

  /** A typing:start or typing:stop on this connection. */
  typing(connectionId: string): Promise<void> {
    return this.typingEvents.take(connectionId);
  }

  /**
   * The refusal still in force for this key (its budget refused it and the wait has not
   * passed), answered synchronously: a flood of socket events is turned away before
   * validation, without a limiter call or an Error per event.
   */
  standingRefusal(budget: SocketBudget, key: string): ApiError | undefined {
    return { send: this.sends, roomView: this.roomViews, readMark: this.readMarks, typing: this.typingEvents }[budget].standing(key);
  }

  /** A socket handshake presenting this token (hashed), before its session is looked up. */
  openingSocket(tokenHash: string): Promise<void> {
    return this.socketOpens.take(tokenHash);
  }

  /** Counts a new socket of the user, or refuses it when the user has `socketsPerUser` open. */
  async openSocket(userId: string, connectionId: string): Promise<void> {
    if (await this.connections.open(userId, connectionId, this.settings.socketsPerUser)) return;
    throw this.tooManySockets();
  }

  tooManySockets(): AppError {
    return new AppError(
      'rate_limited',
      `Too many open connections for this account (at most ${this.settings.socketsPerUser}); close a window or device, or try again later.`,
      undefined,
      SOCKET_RETRY_AFTER_MS,
    );
  }

  closeSocket(userId: string, connectionId: string): Promise<void> {
    return this.connections.close(userId, connectionId);
  }

  /** Graceful shutdown: this process's sockets stop counting at once. */
  stop(): Promise<void> {
    return this.connections.stop();
  }
}

/** At most `max` turns at once per key; the others wait, first come first served. */
class TurnsPerKey {
  private readonly byKey = new Map<string, { running: number; waiting: Array<() => void> }>();

  constructor(private readonly max: number) {}

  async take(key: string): Promise<Release> {
    let turns = this.byKey.get(key);
    if (!turns) {
      turns = { running: 0, waiting: [] };
      this.byKey.set(key, turns);
    }
    const mine = turns;
    if (mine.running < this.max) mine.running++;
    else await new Promise<void>((resolve) => mine.waiting.push(resolve)); // handed a running turn
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = mine.waiting.shift();
      if (next) next();
      else if (--mine.running === 0) this.byKey.delete(key);
    };
  }
}

/** Keys remembered as refused before expired entries are swept. */
const REFUSED_KEYS_SWEEP_AT = 10_000;

/** One budget: its limiter, the words of its refusal, and the keys refused until when. */
class Budget {
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly limiter: Limiter,
    private readonly message: (seconds: number) => string,
    private readonly logger: Logger,
  ) {}

  /** Spends one unit for `key`, or throws rate_limited with the wait. */
  async take(key: string): Promise<void> {
    const standing = this.standing(key);
    if (standing) throw new AppError('rate_limited', standing.message, undefined, standing.retryAfterMs);
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        // The limiter refuses this key until msBeforeNext has passed, so until then we can say so without asking it.
        const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
        this.remember(key, Date.now() + retryAfterMs);
        throw new AppError('rate_limited', this.message(Math.ceil(retryAfterMs / 1000)), undefined, retryAfterMs);
      }
      // The store failed and its fallback too: let the request through rather than refuse everyone.
      this.logger.warn({ err: rejection instanceof Error ? rejection.message : rejection }, 'rate limit check failed; allowing the request');
    }
  }

  standing(key: string): ApiError | undefined {
    const until = this.refusedUntil.get(key);
    if (until === undefined) return undefined;
    const retryAfterMs = until - Date.now();
    if (retryAfterMs <= 0) {
      this.refusedUntil.delete(key);
      return undefined;
    }
    return { code: 'rate_limited', message: this.message(Math.ceil(retryAfterMs / 1000)), retryAfterMs };
  }

  private remember(key: string, until: number): void {
    if (this.refusedUntil.size >= REFUSED_KEYS_SWEEP_AT) {
      const now = Date.now();
      for (const [k, u] of this.refusedUntil) if (u <= now) this.refusedUntil.delete(k);
    }
    this.refusedUntil.set(key, until);
  }
}
