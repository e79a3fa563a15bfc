// Runs in: the Playwright workers (Node).
// Seeds what a test is not about (users, rooms, members, other people's messages)
// through the backend's REST API, with the shared contract's types.
import { randomBytes } from 'node:crypto';
import type { AuthResponse, MessageResponse, RoomSummaryResponse } from '../../../src/shared/contract.js';
import { serverUrl } from './electronApp.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
}

async function call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${serverUrl()}/api${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function register(prefix: string): Promise<TestUser> {
  const username = uniqueName(prefix);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const auth = await call<AuthResponse>('POST', '/auth/register', { body: { email: `${username}@example.test`, username, password } });
  return { id: auth.user.id, username, password, token: auth.token };
}

export async function createRoom(owner: TestUser, name: string, members: TestUser[] = []): Promise<string> {
  const { room } = await call<RoomSummaryResponse>('POST', '/rooms', { token: owner.token, body: { name } });
  for (const member of members) await call('POST', `/rooms/${room.id}/members`, { token: owner.token, body: { username: member.username } });
  return room.id;
}

export async function postMessage(author: TestUser, roomId: string, text: string): Promise<MessageResponse> {
  return call<MessageResponse>('POST', `/rooms/${roomId}/messages`, {
    token: author.token,
    body: { clientId: `e2e-${randomBytes(6).toString('hex')}`, text },
  });
}
