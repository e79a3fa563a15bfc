// A small client for Parley's REST API, used to seed what a test is not about (users,
// rooms, members, 600 messages) so the browser only does what is being tested.
// Types come from the shared contract. Runs in Node (test workers, screenshots script).
import { randomBytes } from 'node:crypto';
import type {
  AuthResponse,
  ErrorBody,
  HistoryPage,
  Message,
  MessageResponse,
  MeResponse,
  RoomDetail,
  RoomDetailResponse,
  RoomSummary,
  RoomSummaryResponse,
  Role,
} from '../../src/shared/contract.js';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} -> ${status} ${JSON.stringify(body)}`);
  }
}

/** A username that is unique across runs and workers and valid by the contract (3–32 of [A-Za-z0-9_.-]). */
export function uniqueName(prefix: string): string {
  return `${prefix.slice(0, 12)}_${Date.now().toString(36).slice(-5)}${randomBytes(3).toString('hex')}`;
}

export class Api {
  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, body as ErrorBody, `${method} ${path}`);
    return body as T;
  }

  /** Registers a fresh user whose name starts with `prefix`. */
  async register(prefix: string): Promise<TestUser> {
    const username = uniqueName(prefix);
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const email = `${username.toLowerCase()}@example.test`;
    const auth = await this.call<AuthResponse>('POST', '/auth/register', { body: { email, username, password } });
    return { id: auth.user.id, username: auth.user.username, email, password, token: auth.token };
  }

  me(token: string): Promise<MeResponse> {
    return this.call<MeResponse>('GET', '/me', { token });
  }

  async createRoom(user: TestUser, name: string): Promise<RoomSummary> {
    return (await this.call<RoomSummaryResponse>('POST', '/rooms', { token: user.token, body: { name } })).room;
  }

  async room(user: TestUser, roomId: string): Promise<RoomDetail> {
    return (await this.call<RoomDetailResponse>('GET', `/rooms/${roomId}`, { token: user.token })).room;
  }

  async addMember(admin: TestUser, roomId: string, username: string): Promise<RoomDetail> {
    return (await this.call<RoomDetailResponse>('POST', `/rooms/${roomId}/members`, { token: admin.token, body: { username } })).room;
  }

  async setRole(admin: TestUser, roomId: string, target: TestUser, role: Role): Promise<RoomDetail> {
    return (await this.call<RoomDetailResponse>('PUT', `/rooms/${roomId}/members/${target.id}/role`, { token: admin.token, body: { role } })).room;
  }

  async send(user: TestUser, roomId: string, text: string): Promise<Message> {
    const clientId = `e2e-${randomBytes(8).toString('hex')}`;
    return (await this.call<MessageResponse>('POST', `/rooms/${roomId}/messages`, { token: user.token, body: { clientId, text } })).message;
  }

  /**
   * Sends texts[i] in order of i as far as createdAt goes: batches of `parallel` run at
   * once, each batch after the previous one has been stored, so history order follows
   * the batch order (messages within a batch may interleave, which no test relies on
   * except for the very first and very last text, sent alone).
   */
  async sendMany(user: TestUser, roomId: string, texts: string[], parallel = 25): Promise<void> {
    if (texts.length === 0) return;
    await this.send(user, roomId, texts[0]!);
    const middle = texts.slice(1, -1);
    for (let i = 0; i < middle.length; i += parallel) {
      await Promise.all(middle.slice(i, i + parallel).map((text) => this.send(user, roomId, text)));
    }
    if (texts.length > 1) await this.send(user, roomId, texts[texts.length - 1]!);
  }

  /** Every message of a room, oldest first. */
  async allMessages(user: TestUser, roomId: string): Promise<Message[]> {
    const all: Message[] = [];
    let page = await this.call<HistoryPage>('GET', `/rooms/${roomId}/messages?after=start&limit=200`, { token: user.token });
    all.push(...page.messages);
    while (page.hasNewer && page.messages.length > 0) {
      const last = page.messages[page.messages.length - 1]!;
      page = await this.call<HistoryPage>('GET', `/rooms/${roomId}/messages?after=${last.seq}&limit=200`, { token: user.token });
      all.push(...page.messages);
    }
    return all;
  }
}
