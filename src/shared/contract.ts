// The wire contract between the Parley backend and its clients: one zod schema per
// request body, query and socket payload, and the types of every answer and push.
// The server validates with these schemas; clients import the same types. Nothing
// here may import from server/ or from a client.
import { z } from 'zod';
import { textRules } from './text.js';

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
  'rate_limited',
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
}
export interface ErrorBody {
  error: ApiError;
}

// ---------- shared field schemas ----------
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

export const usernameSchema = z
  .string()
  .trim()
  .min(LIMITS.usernameMin, `must be at least ${LIMITS.usernameMin} characters`)
  .max(LIMITS.usernameMax, `must be at most ${LIMITS.usernameMax} characters`)
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, _ . and -');

export const emailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailMax)
  .pipe(z.email('must be a valid email address'));

export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMin, `must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `must be at most ${LIMITS.passwordMax} characters`);

export const roomNameSchema = z
  .string()
  .trim()
  .min(1, 'a room needs a name')
  .max(LIMITS.roomNameMax, `must be at most ${LIMITS.roomNameMax} characters`)
  .superRefine(textRules('name'));

export const messageTextSchema = z
  .string()
  .trim()
  .min(1, 'a message cannot be empty')
  .max(LIMITS.messageMax, `must be at most ${LIMITS.messageMax} characters`)
  .superRefine(textRules('message'));

export const clientIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.clientIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, _ and -');

export const roleSchema = z.enum(['admin', 'member']);
export type Role = z.infer<typeof roleSchema>;

// ---------- REST request schemas ----------
export const registerBody = z.strictObject({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
});
export type RegisterBody = z.infer<typeof registerBody>;

export const loginBody = z.strictObject({
  login: z.string().trim().min(1, 'enter your username or email').max(LIMITS.emailMax),
  password: z.string().min(1, 'enter your password').max(LIMITS.passwordMax),
});
export type LoginBody = z.infer<typeof loginBody>;

export const createRoomBody = z.strictObject({ name: roomNameSchema });
export const renameRoomBody = z.strictObject({ name: roomNameSchema });
export const addMemberBody = z.strictObject({ username: z.string().trim().min(1).max(LIMITS.usernameMax) });
export const setRoleBody = z.strictObject({ role: roleSchema });
export const markReadBody = z.strictObject({ messageId: objectId });
export const sendMessageBody = z.strictObject({ clientId: clientIdSchema, text: messageTextSchema });

export const roomIdParam = objectId;
export const userIdParam = objectId;

/** `?before=<id>` (older page), `?after=<id>` (newer page) or `?after=start` (the first messages). */
export const historyQuery = z
  .strictObject({
    before: objectId.optional(),
    after: z.union([objectId, z.literal('start')]).optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.historyMax).default(LIMITS.historyDefault),
  })
  .refine((q) => !(q.before && q.after), { message: 'use either before or after, not both' });
export type HistoryQuery = z.infer<typeof historyQuery>;

// ---------- REST answers ----------
export interface PublicUser {
  id: string;
  username: string;
  email: string;
}
export interface AuthResponse {
  token: string;
  /** ISO-8601 instant after which the token is refused. */
  expiresAt: string;
  user: PublicUser;
}
export interface MeResponse {
  user: PublicUser;
}

export interface Message {
  id: string;
  roomId: string;
  authorId: string;
  authorUsername: string;
  text: string;
  clientId: string;
  /** ISO-8601 server timestamp. */
  createdAt: string;
}

/** A room as listed for one user: their role and their unread count. */
export interface RoomSummary {
  id: string;
  name: string;
  role: Role;
  memberCount: number;
  lastMessage: Message | null;
  unreadCount: number;
}
export interface RoomMember {
  userId: string;
  username: string;
  role: Role;
}
/** A room with its member list, as shown to any member. */
export interface RoomDetail {
  id: string;
  name: string;
  members: RoomMember[];
}

export interface RoomsResponse {
  rooms: RoomSummary[];
}
export interface RoomSummaryResponse {
  room: RoomSummary;
}
export interface RoomDetailResponse {
  room: RoomDetail;
}
export interface HistoryPage {
  /** Oldest first. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked for. */
  hasMore: boolean;
}
export interface MessageResponse {
  message: Message;
}
export type DependencyState = 'up' | 'down';
export interface HealthResponse {
  /** True when every dependency is up and the server accepts writes. */
  ok: boolean;
  database: DependencyState;
  /** Present when the server runs with Redis (several processes). */
  redis?: DependencyState;
}

// ---------- Socket.IO ----------
export const handshakeAuth = z.object({ token: z.string().min(1).max(512) });

export const roomEnterPayload = z.strictObject({ roomId: objectId });
export const roomLeavePayload = z.strictObject({ roomId: objectId });
export const messageSendPayload = z.strictObject({
  roomId: objectId,
  clientId: clientIdSchema,
  text: messageTextSchema,
});
export type RoomEnterPayload = z.infer<typeof roomEnterPayload>;
export type RoomLeavePayload = z.infer<typeof roomLeavePayload>;
export type MessageSendPayload = z.infer<typeof messageSendPayload>;

export interface Viewer {
  userId: string;
  username: string;
}

/** Socket acks: success carries the answer, failure the same error object as HTTP. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

export type RoomEnterAnswer = { viewers: Viewer[] } & HistoryPage;

export interface ClientToServerEvents {
  'room:enter': (payload: RoomEnterPayload, ack: (answer: Ack<RoomEnterAnswer>) => void) => void;
  'room:leave': (payload: RoomLeavePayload, ack?: (answer: Ack) => void) => void;
  'message:send': (payload: MessageSendPayload, ack: (answer: Ack<{ message: Message }>) => void) => void;
}

export type RoomRemovedReason = 'deleted' | 'removed' | 'left';

export interface ServerToClientEvents {
  'message:new': (event: { message: Message }) => void;
  'room:presence': (event: { roomId: string; user: Viewer; action: 'entered' | 'left' }) => void;
  'room:updated': (event: { room: RoomDetail }) => void;
  'room:removed': (event: { roomId: string; reason: RoomRemovedReason }) => void;
  'room:added': (event: { room: RoomSummary }) => void;
  /** The session behind this connection ended (logout or expiry); the server disconnects next. */
  'session:ended': (event: { reason: 'logged_out' | 'expired' }) => void;
  /** This server process is shutting down; the client reconnects (to another process) and catches up. */
  'server:shutdown': (event: { reconnect: true }) => void;
  /**
   * Pushes from other server processes may have been lost (Redis was unreachable): refresh
   * the room list and catch up the open room from the database. The connection stays up.
   */
  'sync:required': (event: { reason: 'redis_recovered' }) => void;
}

/** Turns a zod error into the contract's field map: "text" -> "a message cannot be empty". */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * The cursor to catch up from after a reconnect: a few seconds before the newest
 * message held. Message ids are made when a send starts, so a send that finished
 * late (or on another server process) can carry a slightly smaller id than one
 * already received; fetching `?after=` this cursor and merging by id closes that gap.
 */
export function catchUpCursor(newestMessageId: string, overlapSeconds = 30): string {
  const seconds = Number.parseInt(newestMessageId.slice(0, 8), 16) - overlapSeconds;
  return Math.max(0, seconds).toString(16).padStart(8, '0') + '0000000000000000';
}
