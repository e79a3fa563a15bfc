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

export class DependencyHealth {
  private database: DependencyState = 'up';
  private redisState: DependencyState = 'up';
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly db: Db,
    private readonly redis: RedisClients | undefined,
    private readonly logger: Logger,
  ) {}

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
        await this.db.command({ ping: 1 }, { timeoutMS: PING_TIMEOUT_MS });
        this.setDatabase('up');
      } catch (error) {
        this.setDatabase('down', error);
      } finally {
        this.checking = false;
      }
    }
    const redisNow = this.redis ? (this.redis.isReady() ? 'up' : 'down') : 'up';
    if (redisNow !== this.redisState) {
      this.redisState = redisNow;
      if (redisNow === 'down') this.logger.error('redis unavailable: refusing writes until it returns');
      else this.logger.info('redis available again');
    }
    return this.snapshot();
  }

  private setDatabase(state: DependencyState, error?: unknown): void {
    if (state === this.database) return;
    this.database = state;
    if (state === 'down') this.logger.error({ err: error instanceof Error ? error.message : error }, 'database unavailable: refusing writes until it returns');
    else this.logger.info('database available again');
  }
}
