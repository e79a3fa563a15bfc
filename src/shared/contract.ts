// The wire contract between the Parley backend and its clients: one zod schema per
// request body, query and socket payload, and the types of every answer and push.
// The server validates with these schemas; clients import the same types. Nothing
// here may import from server/ or from a client.
import { z } from 'zod';
import { LIMITS, type ApiError } from './contractValues.js';
import { textRules } from './text.js';

// The limits, error codes and catch-up cursor live in contractValues.ts (no zod), so a
// client can use them without building every schema; they are part of this contract.
export * from './contractValues.js';

// ---------- shared field schemas ----------
const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

export const usernameSchema = z
  .string()
  .trim()
  .min(LIMITS.usernameMin, `must be at least ${LIMITS.usernameMin} characters`)
  .max(LIMITS.usernameMax, `must be at most ${LIMITS.usernameMax} characters`)
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, _ . and -');

export const emailSchema = z.string().trim().max(LIMITS.emailMax).pipe(z.email('must be a valid email address'));

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
/** How far the user has read: a message's `seq` (or, for older clients, its id). */
export const markReadBody = z.union([z.strictObject({ seq: z.number().int().min(1) }), z.strictObject({ messageId: objectId })]);
export type MarkReadBody = z.infer<typeof markReadBody>;
export const sendMessageBody = z.strictObject({ clientId: clientIdSchema, text: messageTextSchema });

export const roomIdParam = objectId;
export const userIdParam = objectId;

/** A message's position in its room: 1, 2, 3, ... in the order the server stored them. */
const seqCursor = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a message seq (a positive integer)')
  .transform(Number);

/**
 * History pages are cursors on `seq`: `?before=<seq>` (older), `?after=<seq>` (newer),
 * `?after=start` (the first messages), `?around=<messageId>` (a page centred on a message,
 * for links and notifications); none of them: the latest page.
 */
export const historyQuery = z
  .strictObject({
    before: seqCursor.optional(),
    after: z.union([z.literal('start'), seqCursor]).optional(),
    around: objectId.optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.historyMax).default(LIMITS.historyDefault),
  })
  .refine((q) => [q.before, q.after, q.around].filter((c) => c !== undefined).length <= 1, { message: 'use at most one of before, after and around' });
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
  /** Position in the room, from 1, in the order stored; history pages and read markers use it. */
  seq: number;
  /** ISO-8601 server timestamp. */
  createdAt: string;
  /**
   * The room members this message @mentions (user ids), found by the server in the text
   * (src/shared/mentions.ts) when it was stored; absent when it mentions nobody.
   */
  mentions?: string[];
}

/** A room as listed for one user: their role and their unread count. */
export interface RoomSummary {
  id: string;
  name: string;
  role: Role;
  memberCount: number;
  lastMessage: Message | null;
  unreadCount: number;
  /** Unread messages that @mention this user (counted apart from unread, exact, capped at UNREAD_CAP). */
  mentionCount: number;
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
  /** Grows by one with every change to the room: a client keeps the detail with the highest. */
  version: number;
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
  /** More messages exist beyond this page in the direction asked for (older for latest/before/around). */
  hasMore: boolean;
  /** More messages exist before the first one of this page. */
  hasOlder: boolean;
  /** More messages exist after the last one of this page (false for the latest page). */
  hasNewer: boolean;
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
/** "I have read up to here": sent at most every few seconds per room, and on leaving or losing focus. */
export const roomReadPayload = z.strictObject({ roomId: objectId, seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export type RoomReadPayload = z.infer<typeof roomReadPayload>;
export const messageSendPayload = z.strictObject({
  roomId: objectId,
  clientId: clientIdSchema,
  text: messageTextSchema,
});
/** "I am typing in this room" (`typing:start`, at most every TYPING.sendEveryMs) or "I stopped" (`typing:stop`). */
export const typingPayload = z.strictObject({ roomId: objectId });
export type TypingPayload = z.infer<typeof typingPayload>;
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
  'room:read': (payload: RoomReadPayload, ack?: (answer: Ack) => void) => void;
  'typing:start': (payload: TypingPayload, ack?: (answer: Ack) => void) => void;
  'typing:stop': (payload: TypingPayload, ack?: (answer: Ack) => void) => void;
}

export type RoomRemovedReason = 'deleted' | 'removed' | 'left';

export interface TypingEvent {
  roomId: string;
  user: Viewer;
  typing: boolean;
}

export interface ServerToClientEvents {
  'message:new': (event: { message: Message }) => void;
  'room:presence': (event: { roomId: string; user: Viewer; action: 'entered' | 'left' }) => void;
  /** Someone viewing the room started (again, every few seconds) or stopped typing; never sent to the typist's own connections. */
  'room:typing': (event: TypingEvent) => void;
  'room:updated': (event: { room: RoomDetail }) => void;
  /** `by`: the username of who deleted the room or removed this user (absent when they left). */
  'room:removed': (event: { roomId: string; reason: RoomRemovedReason; by?: string }) => void;
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
