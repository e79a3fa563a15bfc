// Brute-force protection for the auth routes: a budget per client IP and, for login,
// a budget per account name, so neither many accounts from one IP nor one account
// from many IPs can be hammered.
import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../domain/errors.js';

export interface AuthRateLimits {
  /** Auth requests per IP per minute. */
  perIpPerMinute: number;
  /** Login attempts per account name per 15 minutes. */
  perAccountPer15Minutes: number;
}

export function createAuthLimiters(limits: AuthRateLimits) {
  return {
    ip: new RateLimiterMemory({ keyPrefix: 'auth_ip', points: limits.perIpPerMinute, duration: 60 }),
    account: new RateLimiterMemory({ keyPrefix: 'auth_account', points: limits.perAccountPer15Minutes, duration: 15 * 60 }),
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
