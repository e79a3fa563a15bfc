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
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  toJSON(): ApiError {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export const roomNotFound = () => new AppError('room_not_found', 'Room not found.');
