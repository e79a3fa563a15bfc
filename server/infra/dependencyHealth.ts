// Watches the services the backend depends on. /api/health reports it, writes are
// refused while a dependency is down (a clear 503 at once instead of a hang), and
// each change of state is logged once.
//
// The database ping travels over a client of its own (persistence/database.ts), so under
// load it never waits behind users' queries: a busy or slow database that still answers
// stays "up". Separately, the shared client is watched for being wedged (see below).
import type { Db } from 'mongodb';
import type { DependencyState, HealthResponse } from '../../src/shared/contract.js';
import type { Logger } from '../logger.js';
import type { RedisClients } from './redis.js';

/** What /api/health reports of each dependency (the contract's HealthResponse, without `ok`). */
export type HealthSnapshot = Omit<HealthResponse, 'ok'>;

const PING_EVERY_MS = 1000;
/** A health ping unanswered this long counts as a miss; two misses in a row (or an error) mean down. */
const HEALTH_PING_DEADLINE_MS = 2000;
const MISSES_FOR_DOWN = 2;
/** The shared client's own ping; it may queue behind a flood, which is fine while other work completes. */
const SHARED_PING_DEADLINE_MS = 1500;
/** The shared client counts as stuck when its ping fails and it has finished nothing for this long. */
const STALLED_AFTER_MS = 3000;
/** Stuck this long while the server answers the health client: our client is wedged, replace it. */
const WEDGED_AFTER_MS = 6000;

/**
 * The database as the health check sees it: a client of its own to ping, the shared
 * client's progress, and a way to replace a shared client that stays wedged.
 */
export interface ClientRevival {
  healthDb: Db;
  lastProgressAt(): number;
  replaceClient(): Promise<void>;
}

export class DependencyHealth {
  private database: DependencyState = 'up';
  private redisState: DependencyState = 'up';
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private healthMisses = 0;
  /** Since when the shared client has been failing its ping without finishing anything else (0 = it works). */
  private stuckSince = 0;
  private reviving = false;
  private readonly recoveryListeners: Array<(dependency: 'database' | 'redis') => void> = [];

  constructor(
    private readonly db: Db,
    private readonly redis: RedisClients | undefined,
    private readonly logger: Logger,
    private readonly revival?: ClientRevival,
  ) {}

  /** Called when a dependency that was down answers again. */
  onRecovered(listener: (dependency: 'database' | 'redis') => void): void {
    this.recoveryListeners.push(listener);
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), PING_EVERY_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  snapshot(): HealthSnapshot {
    const redis = this.redis ? { redis: this.redis.isReady() ? ('up' as const) : ('down' as const) } : {};
    return { database: this.database, ...redis };
  }

  /** Whether changes can be stored and delivered to every process right now. */
  writable(): boolean {
    const s = this.snapshot();
    return s.database === 'up' && s.redis !== 'down';
  }

  /** Pings the database now (also used by /api/health so it never reports stale news). */
  async check(): Promise<HealthSnapshot> {
    if (!this.checking) {
      this.checking = true;
      try {
        await this.checkDatabase();
      } finally {
        this.checking = false;
      }
    }
    const redisNow = this.redis ? (this.redis.isReady() ? 'up' : 'down') : 'up';
    if (redisNow !== this.redisState) {
      this.redisState = redisNow;
      if (redisNow === 'down') this.logger.error('redis unavailable: refusing writes until it returns');
      else {
        this.logger.info('redis available again');
        for (const listener of this.recoveryListeners) listener('redis');
      }
    }
    return this.snapshot();
  }

  /**
   * Up when the server answers the health client and the shared client works. A single
   * slow health ping is tolerated (a loaded machine, a long event-loop turn); an error or
   * two misses in a row are not. The shared client "works" when its own ping answers or,
   * while that ping is stuck in a queue behind a flood, when it is still finishing other
   * operations.
   */
  private async checkDatabase(): Promise<void> {
    const revival = this.revival;
    const [health, shared] = await Promise.allSettled([
      withDeadline((revival?.healthDb ?? this.db).command({ ping: 1 }), HEALTH_PING_DEADLINE_MS),
      revival ? withDeadline(this.db.command({ ping: 1 }), SHARED_PING_DEADLINE_MS) : Promise.resolve(),
    ]);
    const now = Date.now();
    let serverAnswers = true;
    if (health.status === 'fulfilled') this.healthMisses = 0;
    else if (health.reason instanceof DeadlineMissed) serverAnswers = ++this.healthMisses < MISSES_FOR_DOWN;
    else serverAnswers = false;

    const clientWorks = shared.status === 'fulfilled' || (revival !== undefined && now - revival.lastProgressAt() < STALLED_AFTER_MS);
    if (clientWorks) this.stuckSince = 0;
    else if (this.stuckSince === 0) this.stuckSince = now;

    const problem = health.status === 'rejected' ? health.reason : shared.status === 'rejected' ? shared.reason : undefined;
    this.setDatabase(serverAnswers && clientWorks ? 'up' : 'down', problem);
    if (serverAnswers && !clientWorks) this.reviveIfWedged(now);
  }

  /**
   * The driver can wait forever on a connection that died during a server restart, so
   * the shared client stays stuck after the server is back. The health client answering
   * tells that apart from a real outage; then the shared client is replaced (its stuck
   * operations fail, and are answered 503).
   */
  private reviveIfWedged(now: number): void {
    if (!this.revival || this.reviving || now - this.stuckSince < WEDGED_AFTER_MS) return;
    this.reviving = true;
    const revival = this.revival;
    void (async () => {
      try {
        this.logger.warn('the database answers our health client but not the shared one: replacing the database client');
        await revival.replaceClient();
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : error }, 'replacing the database client failed');
      } finally {
        this.stuckSince = Date.now();
        this.reviving = false;
      }
    })();
  }

  private setDatabase(state: DependencyState, error?: unknown): void {
    if (state === this.database) return;
    this.database = state;
    if (state === 'down') this.logger.error({ err: error instanceof Error ? error.message : error }, 'database unavailable: refusing writes until it returns');
    else {
      this.logger.info('database available again');
      for (const listener of this.recoveryListeners) listener('database');
    }
  }
}

class DeadlineMissed extends Error {}

/** The driver's own timeouts do not bound a ping on a dead connection; this does. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineMissed(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
