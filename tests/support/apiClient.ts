// Runs in: Node (Vitest and Playwright workers, the benchmarks, scripts).
// The one REST client for everything that drives Parley from outside: server, fault,
// browser and Electron tests seed and check through it, and so do the benchmarks and the
// screenshots script. Routes, bodies and answers are typed from src/shared/contract.ts;
// `raw` sends anything at all, for tests of what the server refuses.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  catchUpCursor,
  type addMemberBody,
  type AuthResponse,
  type createRoomBody,
  type ErrorBody,
  type HealthResponse,
  type HistoryPage,
  type historyQuery,
  type loginBody,
  type markReadBody,
  type MeResponse,
  type Message,
  type MessageResponse,
  type registerBody,
  type renameRoomBody,
  type Role,
  type RoomDetail,
  type RoomDetailResponse,
  type RoomsResponse,
  type RoomSummary,
  type RoomSummaryResponse,
  type sendMessageBody,
  type setRoleBody,
} from '../../src/shared/contract.js';

type Body<S extends z.ZodType> = z.input<S>;

/** Every route of server/http/routes: the body it takes and the answer it gives (undefined: 204). */
export interface Routes {
  'GET /health': { body: undefined; answer: HealthResponse };
  'POST /auth/register': { body: Body<typeof registerBody>; answer: AuthResponse };
  'POST /auth/login': { body: Body<typeof loginBody>; answer: AuthResponse };
  'POST /auth/logout': { body: undefined; answer: undefined };
  'GET /me': { body: undefined; answer: MeResponse };
  'GET /rooms': { body: undefined; answer: RoomsResponse };
  'POST /rooms': { body: Body<typeof createRoomBody>; answer: RoomSummaryResponse };
  'GET /rooms/:roomId': { body: undefined; answer: RoomDetailResponse };
  'PATCH /rooms/:roomId': { body: Body<typeof renameRoomBody>; answer: RoomDetailResponse };
  'DELETE /rooms/:roomId': { body: undefined; answer: undefined };
  'POST /rooms/:roomId/members': { body: Body<typeof addMemberBody>; answer: RoomDetailResponse };
  'DELETE /rooms/:roomId/members/:userId': { body: undefined; answer: undefined };
  'PUT /rooms/:roomId/members/:userId/role': { body: Body<typeof setRoleBody>; answer: RoomDetailResponse };
  'GET /rooms/:roomId/messages': { body: undefined; answer: HistoryPage };
  'POST /rooms/:roomId/messages': { body: Body<typeof sendMessageBody>; answer: MessageResponse };
  'POST /rooms/:roomId/read': { body: Body<typeof markReadBody>; answer: undefined };
}
export type Route = keyof Routes;
export type Answer<R extends Route> = Routes[R]['answer'];

/** `/rooms/:roomId/members/:userId` -> `{ roomId: string; userId: string }`. */
type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : object;
type RoutePath<R extends Route> = R extends `${string} ${infer P}` ? P : never;
/** The history cursors as the contract names them; numbers are sent as their digits. */
type HistoryParams = { [K in keyof z.input<typeof historyQuery>]?: string | number };

export type RequestOptions<R extends Route> = { token?: string; timeoutMs?: number } & (RoutePath<R> extends `${string}:${string}`
  ? { params: PathParams<RoutePath<R>> }
  : { params?: undefined }) &
  (Routes[R]['body'] extends undefined ? { body?: undefined } : { body: Routes[R]['body'] }) &
  (R extends 'GET /rooms/:roomId/messages' ? { query?: HistoryParams } : { query?: undefined });

export interface RawOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (content-type application/json unless `headers` says otherwise). */
  rawBody?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
  /** How long the request took, ms. */
  ms: number;
}

/** A refused request: its status and the contract's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} -> ${status} ${JSON.stringify(body)}`);
  }
}

/** A registered user and their session. */
export interface ApiUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  /** The registration's whole answer. */
  auth: AuthResponse;
}

/** What a signed-in call needs. */
export interface Session {
  token: string;
}

/** A username that is unique across runs and workers and valid by the contract (3–32 of [A-Za-z0-9_.-]). */
export function uniqueName(prefix: string): string {
  return `${prefix.slice(0, 12)}_${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`;
}

const HISTORY_PAGE = 200;

export class ParleyApi {
  /**
   * `baseUrl` is the backend's origin (the client adds /api). `timeoutMs` bounds every
   * request unless a call says otherwise (fault tests must never hang).
   */
  constructor(
    readonly baseUrl: string,
    private readonly defaults: { timeoutMs?: number } = {},
  ) {}

  /** Any request, exactly as given; never throws on a status. */
  async raw(method: string, path: string, options: RawOptions = {}): Promise<ApiResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers,
      body,
      ...(timeoutMs !== undefined ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers, ms };
  }

  /** A route of the contract, without throwing: the answer, or the contract's error body. */
  attempt<R extends Route>(route: R, options: RequestOptions<R>): Promise<ApiResult<Answer<R> | ErrorBody>> {
    const [method, pattern] = route.split(' ') as [string, string];
    const params = (options.params ?? {}) as Record<string, string>;
    let path = pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!));
    if (options.query) {
      const query = Object.entries(options.query).filter(([, value]) => value !== undefined);
      if (query.length > 0) path += `?${new URLSearchParams(query.map(([key, value]) => [key, String(value)])).toString()}`;
    }
    return this.raw(method, path, { token: options.token, body: options.body, timeoutMs: options.timeoutMs });
  }

  /** A route of the contract: its answer, or ApiError when the server refuses. */
  async request<R extends Route>(route: R, options: RequestOptions<R>): Promise<Answer<R>> {
    const result = await this.attempt(route, options);
    if (result.status < 200 || result.status >= 300) throw new ApiError(result.status, result.body, route);
    return result.body as Answer<R>;
  }

  // ---------- users ----------

  /** Registers a fresh user whose name starts with `prefix`. */
  register(prefix: string): Promise<ApiUser> {
    return this.registerAs({ username: uniqueName(prefix) });
  }

  /** Registers exactly this user (email and password made up unless given). */
  async registerAs(user: { username: string; email?: string; password?: string }): Promise<ApiUser> {
    const password = user.password ?? `pw-${randomBytes(8).toString('hex')}`;
    const email = user.email ?? `${user.username.toLowerCase()}@example.test`;
    const auth = await this.request('POST /auth/register', { body: { email, username: user.username, password } });
    return { id: auth.user.id, username: auth.user.username, email, password, token: auth.token, auth };
  }

  /** A further session of the same user: its token. */
  async login(user: { username: string; password: string }): Promise<string> {
    return (await this.request('POST /auth/login', { body: { login: user.username, password: user.password } })).token;
  }

  me(token: string): Promise<MeResponse> {
    return this.request('GET /me', { token });
  }

  // ---------- rooms ----------

  /** A room owned by `owner`, with `members` added. */
  async createRoom(owner: Session, name: string, members: ReadonlyArray<{ username: string }> = []): Promise<RoomSummary> {
    const { room } = await this.request('POST /rooms', { token: owner.token, body: { name } });
    for (const member of members) await this.addMember(owner, room.id, member.username);
    return room;
  }

  async room(user: Session, roomId: string): Promise<RoomDetail> {
    return (await this.request('GET /rooms/:roomId', { token: user.token, params: { roomId } })).room;
  }

  async addMember(admin: Session, roomId: string, username: string): Promise<RoomDetail> {
    return (await this.request('POST /rooms/:roomId/members', { token: admin.token, params: { roomId }, body: { username } })).room;
  }

  async removeMember(admin: Session, roomId: string, userId: string): Promise<void> {
    await this.request('DELETE /rooms/:roomId/members/:userId', { token: admin.token, params: { roomId, userId } });
  }

  async setRole(admin: Session, roomId: string, target: { id: string }, role: Role): Promise<RoomDetail> {
    return (await this.request('PUT /rooms/:roomId/members/:userId/role', { token: admin.token, params: { roomId, userId: target.id }, body: { role } })).room;
  }

  // ---------- messages ----------

  async send(author: Session, roomId: string, text: string, clientId = `api-${randomBytes(8).toString('hex')}`): Promise<Message> {
    return (await this.request('POST /rooms/:roomId/messages', { token: author.token, params: { roomId }, body: { clientId, text } })).message;
  }

  /**
   * Sends texts[i] in order of i as far as createdAt goes: batches of `parallel` run at
   * once, each batch after the previous one has been stored, so history order follows
   * the batch order (messages within a batch may interleave, which no test relies on
   * except for the very first and very last text, sent alone).
   */
  async sendMany(author: Session, roomId: string, texts: string[], parallel = 25): Promise<void> {
    if (texts.length === 0) return;
    await this.send(author, roomId, texts[0]!);
    const middle = texts.slice(1, -1);
    for (let i = 0; i < middle.length; i += parallel) {
      await Promise.all(middle.slice(i, i + parallel).map((text) => this.send(author, roomId, text)));
    }
    if (texts.length > 1) await this.send(author, roomId, texts[texts.length - 1]!);
  }

  history(user: Session, roomId: string, query: HistoryParams = {}): Promise<HistoryPage> {
    return this.request('GET /rooms/:roomId/messages', { token: user.token, params: { roomId }, query: { limit: HISTORY_PAGE, ...query } });
  }

  /** The whole history, oldest first, paging forward from `after=start`. Repeated ids are kept, to be counted. */
  historyForward(user: Session, roomId: string): Promise<Message[]> {
    return this.pageForward(user, roomId, 'start');
  }

  /** The whole history, oldest first, paging backward from the newest page with `before=` cursors. */
  async historyBackward(user: Session, roomId: string): Promise<Message[]> {
    const pages: Message[][] = [];
    let query: HistoryParams = {};
    for (;;) {
      const { messages, hasMore } = await this.history(user, roomId, query);
      pages.unshift(messages);
      if (!hasMore || messages.length === 0) return pages.flat();
      query = { before: messages[0]!.seq };
    }
  }

  /**
   * The catch-up after a reconnect, exactly as docs/protocol.md prescribes: page forward
   * from `after=catchUpCursor(<newest seq held>)` (a little before it, because two sends
   * stored at once can be pushed in either order) until `hasMore` is false. The caller
   * merges by id. This is the one place to change if the documented rule changes.
   */
  catchUp(user: Session, roomId: string, heldSeqs: Iterable<number>): Promise<Message[]> {
    let newest = 0;
    for (const seq of heldSeqs) newest = Math.max(newest, seq);
    return this.pageForward(user, roomId, catchUpCursor(newest));
  }

  private async pageForward(user: Session, roomId: string, after: number | 'start'): Promise<Message[]> {
    const all: Message[] = [];
    let cursor = after;
    for (;;) {
      const { messages, hasMore } = await this.history(user, roomId, { after: cursor });
      all.push(...messages);
      if (!hasMore || messages.length === 0) return all;
      cursor = messages[messages.length - 1]!.seq;
    }
  }

  // ---------- the process ----------

  /** GET /api/health: status and body, or status 0 and the failure when the process does not answer. */
  async health(timeoutMs = 3000): Promise<ApiResult<HealthResponse> | { status: 0; error: string; ms: number }> {
    const started = performance.now();
    try {
      return await this.raw('GET', '/health', { timeoutMs });
    } catch (error) {
      return { status: 0, error: error instanceof Error ? error.message : String(error), ms: Math.round(performance.now() - started) };
    }
  }
}
