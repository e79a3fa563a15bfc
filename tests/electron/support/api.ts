// Runs in: the Playwright workers (Node).
// Seeds what a test is not about (users, rooms, members, other people's messages) through
// the one client (tests/support/apiClient.ts), against the backend the tests started.
import { ParleyApi, type ApiUser } from '../../support/apiClient.js';
import type { MessageResponse } from '../../../src/shared/contract.js';
import { serverUrl } from './electronApp.js';

export { uniqueName } from '../../support/apiClient.js';
export type TestUser = ApiUser;

const api = () => new ParleyApi(serverUrl());

export const register = (prefix: string): Promise<TestUser> => api().register(prefix);

/** A room owned by `owner` with `members` added: its id. */
export async function createRoom(owner: TestUser, name: string, members: TestUser[] = []): Promise<string> {
  return (await api().createRoom(owner, name, members)).id;
}

export async function postMessage(author: TestUser, roomId: string, text: string): Promise<MessageResponse> {
  return { message: await api().send(author, roomId, text) };
}
