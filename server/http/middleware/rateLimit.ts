// Brute-force protection for the auth routes (the policy is in docs/running.md, "Login
// limits"). Login budgets are kept per account, never per text typed, so a username and
// an email share one; and per account *and client IP*, so an attacker elsewhere cannot
// lock the real user out. Across all IPs an account under attack is only slowed down.
// Successful logins give back what they reserved. Built on rate-limiter-flexible, after
// its "login endpoint protection" recipe (consecutive failures by username and IP).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../domain/errors.js';
import type { LoginGuard } from '../../services/auth.js';

export interface AuthRateLimits {
  /** Registrations and failed logins per client IP per minute. */
  perIpPerMinute: number;
  /** Failed logins per account and client IP per 15 minutes; a successful login resets it. */
  perAccountPer15Minutes: number;
  /** Failed logins on one account from every IP (per 15 minutes) before each attempt on it is slowed down. */
  slowDownAfterFailures?: number;
  /** The longest the slow-down makes an attempt wait. */
  slowDownMaxMs?: number;
}

export const DEFAULT_SLOW_DOWN_AFTER_FAILURES = 30;
export const DEFAULT_SLOW_DOWN_MAX_MS = 5000;
const ACCOUNT_WINDOW_S = 15 * 60;
/** The first slowed attempt waits this long; each further failure doubles it, up to slowDownMaxMs. */
const SLOW_DOWN_FIRST_MS = 250;
/** The all-IPs failure count never refuses; it only measures (effectively unlimited points). */
const COUNT_ONLY_POINTS = 1_000_000_000;

type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With Redis the budgets are shared by every backend process; while Redis is away
 * each process falls back to its own in-memory budget rather than failing logins.
 */
export function createAuthLimiters(limits: AuthRateLimits, redis?: Redis, wait: Sleep = sleep): AuthLimiters {
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `parley:rl:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
  };
  return new AuthLimiters(
    {
      perIp: make('auth_ip', limits.perIpPerMinute, 60),
      perAccountAndIp: make('login_account_ip', limits.perAccountPer15Minutes, ACCOUNT_WINDOW_S),
      accountFailures: make('login_account', COUNT_ONLY_POINTS, ACCOUNT_WINDOW_S),
    },
    { after: limits.slowDownAfterFailures ?? DEFAULT_SLOW_DOWN_AFTER_FAILURES, maxMs: limits.slowDownMaxMs ?? DEFAULT_SLOW_DOWN_MAX_MS },
    wait,
  );
}

interface Limiters {
  perIp: RateLimiterAbstract;
  perAccountAndIp: RateLimiterAbstract;
  accountFailures: RateLimiterAbstract;
}

export class AuthLimiters {
  constructor(
    private readonly limiters: Limiters,
    private readonly slowDown: { after: number; maxMs: number },
    private readonly wait: Sleep,
  ) {}

  /** A registration from this IP: every one counts. */
  async register(ip: string): Promise<void> {
    await reserve(this.limiters.perIp, ip);
  }

  /** The budgets for one login attempt from `ip`; AuthService.login names the account. */
  loginFrom(ip: string): LoginGuard {
    const { perIp, perAccountAndIp, accountFailures } = this.limiters;
    const pairKey = (account: string) => `${account}|${ip}`;
    return {
      admit: async (account) => {
        // Reserved up front, so a burst of parallel attempts cannot all slip under the limit.
        await reserve(perIp, ip);
        try {
          await reserve(perAccountAndIp, pairKey(account));
        } catch (error) {
          await perIp.reward(ip, 1);
          throw error;
        }
        const failures = (await accountFailures.get(account))?.consumedPoints ?? 0;
        const delayMs = slowDownDelay(failures, this.slowDown.after, this.slowDown.maxMs);
        if (delayMs > 0) await this.wait(delayMs);
      },
      settle: async (account, failed) => {
        if (failed) {
          await accountFailures.penalty(account, 1);
          return;
        }
        // A success (or an attempt that never got an answer) costs nothing, and clears this IP's failures on the account.
        await Promise.all([perIp.reward(ip, 1), perAccountAndIp.delete(pairKey(account))]);
      },
    };
  }
}

/** How long an attempt on an account waits once it has `after` or more failures (from all IPs): doubling, capped. */
export function slowDownDelay(failures: number, after: number, maxMs: number): number {
  const over = failures - after;
  if (over < 0) return 0;
  return Math.min(maxMs, SLOW_DOWN_FIRST_MS * 2 ** Math.min(over, 30));
}

/** Takes one point, or refuses with rate_limited saying when to come back. */
async function reserve(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterMs = Math.max(1000, rejection.msBeforeNext);
    throw new AppError('rate_limited', `Too many attempts; try again in ${Math.ceil(retryAfterMs / 1000)} s.`, undefined, retryAfterMs);
  }
}
