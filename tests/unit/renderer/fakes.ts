// Stand-ins for the host bridge, the REST client and the socket, for controller tests.
import { vi } from 'vitest';
import { DEFAULT_SETTINGS, type ParleyBridge } from '../../../src/shared/bridge';
import type { Ack, HistoryPage } from '../../../src/shared/contract';
import type { ApiClient, HistoryRequest } from '../../../src/renderer/api/client';
import type { ParleySocket } from '../../../src/renderer/realtime/socket';

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
  };
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
export function fakeApi(history: (roomId: string, query: HistoryRequest) => HistoryPage = () => ({ messages: [], hasMore: false, hasOlder: false, hasNewer: false })) {
  const api = {
    baseUrl: 'http://server.test',
    history: vi.fn(async (roomId: string, query: HistoryRequest = {}) => history(roomId, query)),
    markRead: vi.fn(async () => {}),
    rooms: vi.fn(async () => ({ rooms: [] })),
  };
  return { api, client: api as unknown as ApiClient };
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
