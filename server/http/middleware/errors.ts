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
      ctx.status = status;
      ctx.body = body;
    }
  };
}
