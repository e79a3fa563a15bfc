// The browser tests' REST helpers: the one client (tests/support/apiClient.ts) under the
// names the specs use. It seeds what a test is not about (users, rooms, members, 600
// messages) so the browser only does what is being tested. Runs in the Playwright workers.
import { ApiError, ParleyApi, type ApiUser, type RawOptions, type Session } from '../support/apiClient.js';
import type { Message } from '../../src/shared/contract.js';

export { uniqueName } from '../support/apiClient.js';
export type TestUser = ApiUser;

export class Api extends ParleyApi {
  /** Any route by method and path, for one the typed helpers lack: its answer, or ApiError. */
  async call<T>(method: string, path: string, options: RawOptions = {}): Promise<T> {
    const result = await this.raw(method, path, options);
    if (result.status < 200 || result.status >= 300) throw new ApiError(result.status, result.body, `${method} ${path}`);
    return result.body as T;
  }

  /** Every message of a room, oldest first. */
  allMessages(user: Session, roomId: string): Promise<Message[]> {
    return this.historyForward(user, roomId);
  }
}
