// HTTP against one backend process: JSON in and out, a bounded wait on every request
// (a fault test must never hang), and the history paging the checks rely on.
import { randomBytes } from 'node:crypto';
import { catchUpCursor, type AuthResponse, type HistoryPage, type Message, type RoomSummaryResponse } from '../../../src/shared/contract.js';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  /** How long the request took, ms. */
  ms: number;
}

export interface User {
  token: string;
  id: string;
  username: string;
  password: string;
}

export async function request(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: Math.round(performance.now() - started) };
}

function expectStatus(res: ApiResult, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

let counter = 0;

export async function register(baseUrl: string, prefix: string): Promise<User> {
  const username = `${prefix}_${randomBytes(3).toString('hex')}${counter++}`.slice(0, 32);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const res = await request(baseUrl, 'POST', '/auth/register', { body: { email: `${username}@example.test`, username, password } });
  expectStatus(res, 201, `register ${username}`);
  const auth = res.body as AuthResponse;
  return { token: auth.token, id: auth.user.id, username, password };
}

/** A second session of the same user. */
export async function login(baseUrl: string, user: User): Promise<string> {
  const res = await request(baseUrl, 'POST', '/auth/login', { body: { login: user.username, password: user.password } });
  expectStatus(res, 200, `login ${user.username}`);
  return (res.body as AuthResponse).token;
}

/** A room owned by `admin` with `members` added. */
export async function createRoom(baseUrl: string, admin: User, name: string, members: User[] = []): Promise<string> {
  const res = await request(baseUrl, 'POST', '/rooms', { token: admin.token, body: { name } });
  expectStatus(res, 201, 'create room');
  const roomId = (res.body as RoomSummaryResponse).room.id;
  for (const member of members) {
    expectStatus(await request(baseUrl, 'POST', `/rooms/${roomId}/members`, { token: admin.token, body: { username: member.username } }), 201, 'add member');
  }
  return roomId;
}

const PAGE = 200;

async function page(baseUrl: string, token: string, roomId: string, query: string): Promise<HistoryPage> {
  const res = await request(baseUrl, 'GET', `/rooms/${roomId}/messages?limit=${PAGE}&${query}`, { token });
  expectStatus(res, 200, `history ${query}`);
  return res.body as HistoryPage;
}

/** The whole history, oldest first, paging forward from `after=start`. Repeated ids are kept, to be counted. */
export async function historyForward(baseUrl: string, token: string, roomId: string): Promise<Message[]> {
  const all: Message[] = [];
  let query = 'after=start';
  for (;;) {
    const { messages, hasMore } = await page(baseUrl, token, roomId, query);
    all.push(...messages);
    if (!hasMore || messages.length === 0) return all;
    query = `after=${messages[messages.length - 1]!.seq}`;
  }
}

/** The whole history, oldest first, paging backward from the newest page with `before=` cursors. */
export async function historyBackward(baseUrl: string, token: string, roomId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let query = '';
  for (;;) {
    const { messages, hasMore } = await page(baseUrl, token, roomId, query);
    pages.unshift(messages);
    if (!hasMore || messages.length === 0) return pages.flat();
    query = `before=${messages[0]!.seq}`;
  }
}

/**
 * The catch-up after a reconnect, exactly as docs/protocol.md prescribes: page forward
 * from `after=catchUpCursor(<newest seq held>)` (a little before it, because two sends
 * stored at once can be pushed in either order) until `hasMore` is false. The caller
 * merges by id. This is the one place to change if the documented rule changes.
 */
export async function catchUp(baseUrl: string, token: string, roomId: string, heldSeqs: Iterable<number>): Promise<Message[]> {
  let newest = 0;
  for (const seq of heldSeqs) newest = Math.max(newest, seq);
  const all: Message[] = [];
  let query = `after=${catchUpCursor(newest)}`;
  for (;;) {
    const { messages, hasMore } = await page(baseUrl, token, roomId, query);
    all.push(...messages);
    if (!hasMore || messages.length === 0) return all;
    query = `after=${messages[messages.length - 1]!.seq}`;
  }
}

/** GET /api/health: status and body, or the failure when the process does not answer. */
export async function health(baseUrl: string, timeoutMs = 3000): Promise<ApiResult<{ ok: boolean; database: string; redis?: string }> | { status: 0; error: string; ms: number }> {
  const started = performance.now();
  try {
    return await request(baseUrl, 'GET', '/health', { timeoutMs });
  } catch (error) {
    return { status: 0, error: error instanceof Error ? error.message : String(error), ms: Math.round(performance.now() - started) };
  }
}
