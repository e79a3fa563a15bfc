// Brute-force protection for the auth routes: a budget per client IP and, for login,
// a budget per account name, so neither many accounts from one IP nor one account
// from many IPs can be hammered.
import type { Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../domain/errors.js';

export interface AuthRateLimits {
  /** Auth requests per IP per minute. */
  perIpPerMinute: number;
  /** Login attempts per account name per 15 minutes. */
  perAccountPer15Minutes: number;
}

export interface AuthLimiters {
  ip: RateLimiterAbstract;
  account: RateLimiterAbstract;
}

/**
 * With Redis the budgets are shared by every backend process; while Redis is away
 * each process falls back to its own in-memory budget rather than failing logins.
 */
export function createAuthLimiters(limits: AuthRateLimits, redis?: Redis): AuthLimiters {
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `parley:rl:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
  };
  return {
    ip: make('auth_ip', limits.perIpPerMinute, 60),
    account: make('auth_account', limits.perAccountPer15Minutes, 15 * 60),
  };
}

export async function consume(limiter: RateLimiterAbstract, key: string, setHeader: (name: string, value: string) => void): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    setHeader('Retry-After', String(seconds));
    throw new AppError('rate_limited', `Too many attempts; try again in ${seconds} s.`);
  }
}

export function limitByIp(limiter: RateLimiterAbstract): Middleware {
  return async (ctx, next) => {
    await consume(limiter, ctx.ip, (n, v) => ctx.set(n, v));
    await next();
  };
}
