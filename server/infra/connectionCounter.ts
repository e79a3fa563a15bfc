// Counts each user's open sockets so a cap can refuse one more. In one process a map
// is enough; with Redis the count spans every process: each connection is a member of
// a per-user sorted set scored by its lease expiry, which its process renews while the
// socket lives. A process that dies stops renewing, so its sockets stop counting one
// lease later (PRESENCE_LIVENESS_MS) without anyone having to clean up after it.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface ConnectionCounter {
  /** Counts a new connection of the user unless they already have `max` open; returns whether it was counted. */
  open(userId: string, connectionId: string, max: number): Promise<boolean>;
  /** Stops counting a connection (idempotent). */
  close(userId: string, connectionId: string): Promise<void>;
  /** Stops counting this process's connections (graceful shutdown). */
  stop(): Promise<void>;
}

export class InMemoryConnectionCounter implements ConnectionCounter {
  private readonly byUser = new Map<string, Set<string>>();

  open(userId: string, connectionId: string, max: number): Promise<boolean> {
    const open = this.byUser.get(userId) ?? new Set<string>();
    if (open.size >= max && !open.has(connectionId)) return Promise.resolve(false);
    open.add(connectionId);
    this.byUser.set(userId, open);
    return Promise.resolve(true);
  }

  close(userId: string, connectionId: string): Promise<void> {
    const open = this.byUser.get(userId);
    open?.delete(connectionId);
    if (open?.size === 0) this.byUser.delete(userId);
    return Promise.resolve();
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  stop(): Promise<void> {
    this.byUser.clear();
    return Promise.resolve();
  }
}

// Redis's clock, not each process's, so processes with skewed clocks agree on expiry.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: the user's set. ARGV: member, max, leaseMs. Returns 1 when counted, 0 when at the cap.
const OPEN = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// KEYS: the user's set. ARGV: leaseMs, members... (re-adds a member a restarted Redis forgot).
const RENEW = `${NOW_MS}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

export interface RedisConnectionCounterOptions {
  redis: Redis;
  instanceId: string;
  /** A connection whose process has not renewed it for this long no longer counts. */
  leaseMs: number;
  logger: Logger;
}

export class RedisConnectionCounter implements ConnectionCounter {
  /** This process's counted connections: connectionId -> userId. */
  private readonly local = new Map<string, string>();
  /** Connections counted here only, because Redis was unreachable when they opened. */
  private readonly fallback = new InMemoryConnectionCounter();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: RedisConnectionCounterOptions) {
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(options.leaseMs / 3))).unref();
  }

  async open(userId: string, connectionId: string, max: number): Promise<boolean> {
    try {
      const counted = await this.options.redis.eval(OPEN, 1, key(userId), this.member(connectionId), max, this.options.leaseMs);
      if (counted !== 1) return false;
      this.local.set(connectionId, userId);
      return true;
    } catch (error) {
      // Redis is away (writes are refused meanwhile anyway): cap per process rather than lock everyone out.
      this.options.logger.warn({ err: error instanceof Error ? error.message : error }, 'connection count unavailable in redis: counting in this process');
      return this.fallback.open(userId, connectionId, max);
    }
  }

  async close(userId: string, connectionId: string): Promise<void> {
    await this.fallback.close(userId, connectionId);
    if (!this.local.delete(connectionId)) return;
    await this.options.redis.zrem(key(userId), this.member(connectionId)).catch(() => {
      // The lease runs out by itself.
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const pipeline = this.options.redis.pipeline();
    for (const [connectionId, userId] of this.local) pipeline.zrem(key(userId), this.member(connectionId));
    this.local.clear();
    await pipeline.exec().catch(() => {});
  }

  /** Extends the lease of every connection this process holds, one round trip for all. */
  private async renew(): Promise<void> {
    if (this.local.size === 0) return;
    const byUser = new Map<string, string[]>();
    for (const [connectionId, userId] of this.local) {
      const members = byUser.get(userId) ?? [];
      members.push(this.member(connectionId));
      byUser.set(userId, members);
    }
    const pipeline = this.options.redis.pipeline();
    for (const [userId, members] of byUser) pipeline.eval(RENEW, 1, key(userId), this.options.leaseMs, ...members);
    await pipeline
      .exec()
      .catch((error: unknown) => this.options.logger.warn({ err: error instanceof Error ? error.message : error }, 'renewing connection leases failed'));
  }

  private member(connectionId: string): string {
    return `${this.options.instanceId}/${connectionId}`;
  }
}

const key = (userId: string) => `parley:user-conns:${userId}`;
