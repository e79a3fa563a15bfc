import type { Middleware } from 'koa';
import type { AppState } from '../state.js';

/**
 * Spends one unit of the signed-in user's budget (server/infra/limits.ts) before the
 * handler runs; goes after requireSession. A refusal is a 429 `rate_limited` with
 * `retryAfterMs` and a Retry-After header, and costs no database work beyond the session.
 */
export function perUserLimit(take: (userId: string) => Promise<void>): Middleware<AppState> {
  return async (ctx, next) => {
    await take(ctx.state.auth.user.id);
    await next();
  };
}
