// Stand-ins for the host bridge, the REST client and the socket, for controller tests.
import { vi } from 'vitest';
import { DEFAULT_SETTINGS, type ParleyBridge } from '../../../src/shared/bridge';
import { createLocalStore, type LocalStore } from '../../../src/shared/localStore';
import type { Ack, HistoryPage } from '../../../src/shared/contract';
import type { ApiClient, HistoryRequest } from '../../../src/renderer/api/client';
import type { ParleySocket } from '../../../src/renderer/realtime/socket';
import { ChatSession } from '../../../src/renderer/session/ChatSession';
import { useSessionStore } from '../../../src/renderer/stores/session';
import { ALICE as ALICE_ID } from './helpers';

export function fakeBridge(): ParleyBridge & { [K in keyof ParleyBridge]: ParleyBridge[K] } {
  return {
    kind: 'web',
    loadSession: vi.fn(async () => null),
    saveSession: vi.fn(async () => {}),
    clearSession: vi.fn(async () => {}),
    getSettings: vi.fn(async () => DEFAULT_SETTINGS),
    updateSettings: vi.fn(async (patch) => ({ ...DEFAULT_SETTINGS, ...patch })),
    setActiveRoom: vi.fn(),
    messageArrived: vi.fn(),
    setUnread: vi.fn(),
    setSessionState: vi.fn(),
    openExternal: vi.fn(),
    onOpenRoom: vi.fn(() => () => {}),
    onLogoutRequested: vi.fn(() => () => {}),
    onWake: vi.fn(() => () => {}),
    openLocalStore: vi.fn((accountId: string) => memoryLocalStore(accountId)),
  };
}

/** Each account's local data in memory (JSON texts), shared by every bridge in the test file. */
export const localData = new Map<string, Map<string, string>>();

export function memoryLocalStore(accountId: string): LocalStore {
  const entries = () => localData.get(accountId) ?? localData.set(accountId, new Map()).get(accountId)!;
  return createLocalStore({
    get: async (key) => entries().get(key),
    entries: async (prefix) => [...entries()].filter(([key]) => key.startsWith(prefix)),
    set: async (key, json) => void entries().set(key, json),
    delete: async (key) => void entries().delete(key),
    clear: async () => void localData.delete(accountId),
  });
}

export interface Emitted {
  event: string;
  payload: Record<string, unknown>;
  /** Answers the ack. */
  answer(answer: { ok: true; [key: string]: unknown } | Ack<object>): void;
  /** The ack's timeout fires. */
  timeOut(): void;
}

/** Records what the app emits; the test answers the acks. */
export class FakeSocket {
  connected = true;
  emitted: Emitted[] = [];

  private record(event: string, payload: Record<string, unknown>, ack?: (...args: unknown[]) => void, withTimeout = false) {
    this.emitted.push({
      event,
      payload,
      answer: (answer) => (withTimeout ? ack?.(null, answer) : ack?.(answer)),
      timeOut: () => ack?.(new Error('operation has timed out')),
    });
  }

  timeout() {
    return {
      emit: (event: string, payload: Record<string, unknown>, ack: (...args: unknown[]) => void) => this.record(event, payload, ack, true),
      emitWithAck: (event: string, payload: Record<string, unknown>) =>
        new Promise((resolve, reject) => this.record(event, payload, (err, answer) => (err ? reject(err) : resolve(answer)), true)),
    };
  }

  emit(event: string, payload: Record<string, unknown>, ack?: (...args: unknown[]) => void) {
    this.record(event, payload, ack);
  }

  connect() {
    this.connected = true;
    return this;
  }

  disconnect() {
    this.connected = false;
    return this;
  }

  on(_event: string, _handler: (...args: unknown[]) => void) {
    return this;
  }

  off() {
    return this;
  }

  of(event: string): Emitted[] {
    return this.emitted.filter((e) => e.event === event);
  }

  last(event: string): Emitted {
    const found = this.of(event).at(-1);
    if (!found) throw new Error(`nothing emitted for ${event}`);
    return found;
  }

  asSocket(): ParleySocket {
    return this as unknown as ParleySocket;
  }
}

/** A REST client whose history answers from an in-memory list of pages. */
export function fakeApi(
  history: (roomId: string, query: HistoryRequest) => HistoryPage = () => ({ messages: [], hasMore: false, hasOlder: false, hasNewer: false }),
) {
  const api = {
    baseUrl: 'http://server.test',
    history: vi.fn(async (roomId: string, query: HistoryRequest = {}) => history(roomId, query)),
    markRead: vi.fn(async () => {}),
    rooms: vi.fn(async () => ({ rooms: [] })),
  };
  return { api, client: api as unknown as ApiClient };
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A signed-in ChatSession (alice) over fakes; not started (no socket bindings) unless the test does. */
export function fakeChatSession(parts: {
  api?: ApiClient;
  socket: FakeSocket;
  bridge: ParleyBridge;
  localStore?: LocalStore;
  onSessionEnded?: () => void;
}): ChatSession {
  const session = {
    token: 't',
    expiresAt: '2999-01-01T00:00:00.000Z',
    serverUrl: 'http://server.test',
    user: { id: ALICE_ID, username: 'alice', email: 'a@x.io' },
  };
  useSessionStore.getState().signedIn(session);
  return new ChatSession({
    session,
    api: parts.api ?? fakeApi().client,
    socket: parts.socket.asSocket(),
    bridge: parts.bridge,
    localStore: parts.localStore ?? memoryLocalStore(ALICE_ID),
    onSessionEnded: parts.onSessionEnded ?? (() => {}),
  });
}
