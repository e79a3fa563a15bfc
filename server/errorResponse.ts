// One mapping from anything thrown to the contract's error object, used by the HTTP
// error middleware and the socket ack wrapper alike.
import type { ApiError, ErrorCode } from '../src/shared/contract.js';
import { AppError } from './domain/errors.js';
import type { Logger } from './logger.js';

export interface ErrorResponse {
  status: number;
  error: ApiError;
}

interface HttpError {
  status: number;
  expose?: boolean;
  message: string;
  type?: string;
}

export function toErrorResponse(error: unknown, logger: Logger, context: Record<string, unknown>): ErrorResponse {
  if (error instanceof AppError) return { status: error.status, error: error.toJSON() };
  if (isDependencyUnavailable(error)) {
    logger.warn({ err: error, ...context }, 'dependency unavailable');
    return { status: 503, error: { code: 'service_unavailable', message: 'Parley is briefly unavailable; try again shortly.' } };
  }
  if (isClientHttpError(error)) {
    const code = codeForStatus(error);
    const message = code === 'invalid_json' ? 'The request body is not valid JSON.' : error.expose ? error.message : 'Bad request.';
    return { status: error.status, error: { code, message } };
  }
  logger.error({ err: error, ...context }, 'unhandled error');
  return { status: 500, error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
}

/**
 * The database or Redis is unreachable, or the connection to it is closing or being
 * replaced (a closed pool, a session ended by a closing client, a wait-queue timeout):
 * a 503, not a bug. Matched by name so this module needs no driver import.
 */
function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  const { name = '', message = '', code = '', cause } = (error ?? {}) as { name?: string; message?: string; code?: unknown; cause?: unknown };
  if (cause !== undefined && depth < 3 && isDependencyUnavailable(cause, depth + 1)) return true;
  if (name === 'MongoServerError') return isServerGoingAway(code, message);
  return (
    /^Mongo(ServerSelection|Network|NotConnected|TopologyClosed|ClientClosed|ServerClosed|PoolClosed|PoolCleared|ExpiredSession|WaitQueueTimeout|OperationTimeout)/.test(
      name,
    ) ||
    /Topology is closed|client was closed|Attempted to check out a connection from closed connection pool/i.test(message) ||
    name === 'MaxRetriesPerRequestError' ||
    code === 'EPIPE' ||
    code === 'ECONNRESET' ||
    /Stream isn't writeable|Connection is closed/.test(message)
  );
}

/**
 * The database server answered, but only to say it is stopping or no longer the primary
 * (MongoDB's shutdown and step-down codes), or, on FerretDB, that it cancelled the
 * command because it is shutting down (code 1 "… context canceled").
 */
const SHUTDOWN_OR_STEPDOWN_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);
function isServerGoingAway(code: unknown, message: string): boolean {
  return (typeof code === 'number' && SHUTDOWN_OR_STEPDOWN_CODES.has(code)) || / context canceled$/.test(message);
}

/** Errors from Koa's body parser and router carry an HTTP status of their own. */
function isClientHttpError(error: unknown): error is HttpError {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function codeForStatus(error: HttpError): ErrorCode {
  if (error.status === 413) return 'payload_too_large';
  if (error.status === 400 && /json/i.test(`${error.type ?? ''} ${error.message}`)) return 'invalid_json';
  if (error.status === 404) return 'not_found';
  if (error.status === 405) return 'method_not_allowed';
  if (error.status === 401) return 'unauthenticated';
  if (error.status === 403) return 'forbidden';
  return 'validation_failed';
}
