// Watches the services the backend depends on. /api/health reports it, writes are
// refused while a dependency is down (a clear 503 at once instead of a hang), and
// each change of state is logged once.
import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { RedisClients } from './redis.js';

export type DependencyState = 'up' | 'down';

export interface HealthSnapshot {
  database: DependencyState;
  redis?: DependencyState;
}

const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 1500;
/** Down this long while a fresh client can reach the server: our client is wedged, replace it. */
const WEDGED_AFTER_MS = 6000;

/** What the health check may do about a client that stays down while the server is up. */
export interface ClientRevival {
  canReachServer(): Promise<boolean>;
  replaceClient(): Promise<void>;
}

export class DependencyHealth {
  private database: DependencyState = 'up';
  private redisState: DependencyState = 'up';
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private databaseDownSince = 0;
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
        await withDeadline(this.db.command({ ping: 1 }), PING_TIMEOUT_MS);
        this.setDatabase('up');
      } catch (error) {
        this.setDatabase('down', error);
        this.reviveIfWedged();
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
   * The driver can wait forever on a connection that died during a server restart, so
   * the client stays "down" after the server is back. A fresh client reaching the server
   * tells that apart from a real outage; then the client is replaced.
   */
  private reviveIfWedged(): void {
    if (!this.revival || this.reviving || Date.now() - this.databaseDownSince < WEDGED_AFTER_MS) return;
    this.reviving = true;
    const revival = this.revival;
    void (async () => {
      try {
        if (!(await revival.canReachServer())) return;
        this.logger.warn('the database answers a new connection but not ours: replacing the database client');
        await revival.replaceClient();
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : error }, 'replacing the database client failed');
      } finally {
        this.databaseDownSince = Date.now();
        this.reviving = false;
      }
    })();
  }

  private setDatabase(state: DependencyState, error?: unknown): void {
    if (state === this.database) return;
    this.database = state;
    if (state === 'down') this.databaseDownSince = Date.now();
    if (state === 'down') this.logger.error({ err: error instanceof Error ? error.message : error }, 'database unavailable: refusing writes until it returns');
    else {
      this.logger.info('database available again');
      for (const listener of this.recoveryListeners) listener('database');
    }
  }
}

/** The driver's own timeouts do not bound a ping on a dead connection; this does. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
