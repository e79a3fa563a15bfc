import type { Middleware } from 'koa';
import type { Release } from '../../infra/limits.js';
import type { RequestState } from '../requestState.js';

/**
 * Spends one unit of the signed-in user's budget (server/infra/limits.ts) before the
 * handler runs; goes after requireSession. A refusal is a 429 `rate_limited` with
 * `retryAfterMs` and a Retry-After header, and costs no database work beyond the session.
 * A budget that hands back a turn (sends) gets it back when the request is done.
 */
export function perUserLimit(take: (userId: string) => Promise<void | Release>): Middleware<RequestState> {
  return async (ctx, next) => {
    const release = await take(ctx.state.auth.user.id);
    try {
      await next();
    } finally {
      release?.();
    }
  };
}
