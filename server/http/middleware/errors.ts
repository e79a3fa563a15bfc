import type { Middleware } from 'koa';
import type { ErrorBody } from '../../../src/shared/contract.js';
import { AppError } from '../../domain/errors.js';
import { toErrorResponse } from '../../errorResponse.js';
import type { Logger } from '../../logger.js';

/** Every failure leaves as `{error:{code,message}}`; unmatched routes become a JSON 404. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found', `No route for ${ctx.method} ${ctx.path}.`);
    } catch (error) {
      const { status, error: apiError } = toErrorResponse(error, logger, { method: ctx.method, path: ctx.path });
      const body: ErrorBody = { error: apiError };
      // rate_limited and overloaded say when to come back, in the body and the standard header.
      if (apiError.retryAfterMs !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil(apiError.retryAfterMs / 1000))));
      ctx.status = status;
      ctx.body = body;
    }
  };
}
