// Answers that are safe to hand to a browser, and requests the API can actually read.
import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';
import { originAllowed } from '../origins.js';

/**
 * Every API answer: never sniffed into something other than its declared type, and
 * never cached (login answers carry a token; the rest are personal).
 */
export function noSniffNoStore(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

/** A page from an origin not on the list gets a 403 before anything runs (CORS alone would only hide the answer). */
export function refuseForeignOrigins(allowed: readonly string[]): Middleware {
  return async (ctx, next) => {
    if (!originAllowed(allowed, ctx.get('origin') || undefined)) {
      throw new AppError('forbidden', 'This web origin may not use the Parley API (see CORS_ORIGINS in docs/deploy.md).');
    }
    await next();
  };
}

/** The body parser's decoders (`inflation`): anything else would be a 415 without our error shape. */
const READABLE_ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Request bodies are UTF-8 JSON in an encoding we can decode; anything else is 415 unsupported_media_type. */
export function jsonBodiesOnly(): Middleware {
  return async (ctx, next) => {
    const hasBody = ctx.get('transfer-encoding') !== '' || (ctx.request.length ?? 0) > 0;
    if (!BODY_METHODS.has(ctx.method) || !hasBody) return next();
    const encoding = ctx.get('content-encoding') || 'identity';
    if (!READABLE_ENCODINGS.has(encoding)) {
      throw new AppError('unsupported_media_type', 'Unsupported Content-Encoding: send the body uncompressed, or gzip, deflate or br.');
    }
    if (!ctx.is('application/json', '+json')) throw new AppError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') throw new AppError('unsupported_media_type', 'JSON bodies must be UTF-8.');
    if (encoding === 'identity') return next();
    try {
      await next();
    } catch (error) {
      // A body that claims gzip (deflate, br) but is not: the client's mistake, not a 500.
      if (isDecompressionError(error)) throw new AppError('invalid_json', `The request body could not be decompressed (Content-Encoding: ${encoding}).`);
      throw error;
    }
  };
}

/** zlib's errors: a numeric errno and a code such as Z_DATA_ERROR or ERR__ERROR_FORMAT_PADDING_2 (brotli). */
function isDecompressionError(error: unknown): boolean {
  const { errno, code } = (error ?? {}) as { errno?: unknown; code?: unknown };
  return typeof errno === 'number' && typeof code === 'string' && /^(Z_|ERR__|ERR_BROTLI|ERR_ZLIB)/.test(code);
}
