// The fault tests' REST helpers: the one client (tests/support/apiClient.ts) for one
// backend process by its URL, with a bounded wait on every request (a fault test must
// never hang).
import { ParleyApi, type ApiResult, type ApiUser, type RawOptions } from '../../support/apiClient.js';
import type { Message } from '../../../src/shared/contract.js';

export type { ApiResult };
export type User = ApiUser;

const REQUEST_TIMEOUT_MS = 10_000;
const clients = new Map<string, ParleyApi>();

function api(baseUrl: string): ParleyApi {
  let client = clients.get(baseUrl);
  if (!client) clients.set(baseUrl, (client = new ParleyApi(baseUrl, { timeoutMs: REQUEST_TIMEOUT_MS })));
  return client;
}

export const request = (baseUrl: string, method: string, path: string, options: RawOptions = {}): Promise<ApiResult> => api(baseUrl).raw(method, path, options);

export const register = (baseUrl: string, prefix: string): Promise<User> => api(baseUrl).register(prefix);

/** A second session of the same user. */
export const login = (baseUrl: string, user: User): Promise<string> => api(baseUrl).login(user);

/** A room owned by `admin` with `members` added: its id. */
export async function createRoom(baseUrl: string, admin: User, name: string, members: User[] = []): Promise<string> {
  return (await api(baseUrl).createRoom(admin, name, members)).id;
}

export const historyForward = (baseUrl: string, token: string, roomId: string): Promise<Message[]> => api(baseUrl).historyForward({ token }, roomId);

export const historyBackward = (baseUrl: string, token: string, roomId: string): Promise<Message[]> => api(baseUrl).historyBackward({ token }, roomId);

/** The catch-up after a reconnect (ParleyApi.catchUp: the rule docs/protocol.md prescribes). */
export const catchUp = (baseUrl: string, token: string, roomId: string, heldSeqs: Iterable<number>): Promise<Message[]> =>
  api(baseUrl).catchUp({ token }, roomId, heldSeqs);

export const health = (baseUrl: string, timeoutMs?: number) => api(baseUrl).health(timeoutMs);
