// The wire contract's plain values: limits, error codes, the error shape and the catch-up
// cursor. contract.ts re-exports all of it; it lives apart from the zod schemas so that
// code needing only these (the renderer's start-up path) does not build every schema.
// Nothing here may import zod, from server/ or from a client.

// ---------- limits ----------
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  // argon2 hashes whatever it is given; a cap keeps a huge password from being a CPU weapon.
  passwordMax: 256,
  emailMax: 254,
  roomNameMax: 80,
  messageMax: 4000,
  clientIdMax: 64,
  historyDefault: 50,
  historyMax: 200,
} as const;

/** Unread counts stop here; clients show "999+". */
export const UNREAD_CAP = 999;

/**
 * Typing indicators: a client sends `typing:start` at most every `sendEveryMs` while its
 * user types; the server ends a typist after `expireAfterMs` without one (and at once on a
 * send, a leave or a disconnect). Clients drop a typist they have not heard of for
 * `forgetAfterMs` (a stop lost with a process).
 */
export const TYPING = { sendEveryMs: 3_000, expireAfterMs: 5_000, forgetAfterMs: 6_000 } as const;

// ---------- errors ----------
export const ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unauthenticated',
  'invalid_credentials',
  'session_expired',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'room_not_found',
  'user_not_found',
  'username_taken',
  'email_taken',
  'already_member',
  'not_member',
  'admin_must_relinquish',
  'last_admin',
  'client_id_reused',
  'invalid_text',
  'unsupported_media_type',
  'headers_too_large',
  'rate_limited',
  'overloaded',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every refusal, over HTTP (as the body) and over Socket.IO (inside the ack). */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field-level problems for validation_failed: path -> message. */
  fields?: Record<string, string>;
  /** For rate_limited and overloaded: wait at least this long before trying again. */
  retryAfterMs?: number;
}
export interface ErrorBody {
  error: ApiError;
}

/**
 * The `?after=` cursor to catch up from after a reconnect, given the newest `seq` held.
 * Sequence numbers are taken when a send is stored, so two sends stored at once (on one
 * server process or on two) can be pushed in either order: a client may hold 12 before 11
 * arrives. Starting a little before the newest one held and merging by id closes that gap.
 */
export function catchUpCursor(newestSeq: number, overlap = 50): number | 'start' {
  const from = newestSeq - overlap;
  return from >= 1 ? from : 'start';
}
