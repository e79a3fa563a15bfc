// The one error type domain and service code throws; transports turn it into
// `{error:{code,message}}` with the status below.
import type { ApiError, ErrorCode } from '../../src/shared/contract.js';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  session_expired: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  room_not_found: 404,
  user_not_found: 404,
  username_taken: 409,
  email_taken: 409,
  already_member: 409,
  not_member: 404,
  admin_must_relinquish: 409,
  last_admin: 409,
  client_id_reused: 409,
  invalid_text: 400,
  unsupported_media_type: 415,
  headers_too_large: 431,
  rate_limited: 429,
  overloaded: 503,
  service_unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** For rate_limited and overloaded: how long the client should wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  toJSON(): ApiError {
    const json: ApiError = { code: this.code, message: this.message };
    if (this.fields) json.fields = this.fields;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}

export const roomNotFound = () => new AppError('room_not_found', 'Room not found.');
